// SAML Lens's library models (src/core/libraries) on the differential matrix: the prediction for
// each case and library, with the case's options translated to the models' option names (nested
// settings dotted: python3-saml security.wantMessagesSigned).
import {
  LIBRARY_MODELS,
  predictFromFacts,
  responseFacts,
  type LibraryOptions,
  type LibraryVerdict,
} from '../../src/core/libraries';
import { validateResponse } from '../../src/core/validate';
import { PEER_LIBRARIES, type PeerCase, type PeerLibrary } from './cases';
import type { MatrixCase } from './matrixCases';

/** { security: { wantMessagesSigned: true } } → { 'security.wantMessagesSigned': true }. */
export function modelOptions(options: object | undefined): LibraryOptions {
  const flat: Record<string, LibraryOptions[string]> = {};
  for (const [name, value] of Object.entries(options ?? {})) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner, innerValue] of Object.entries(value as Record<string, LibraryOptions[string]>))
        flat[`${name}.${inner}`] = innerValue;
    } else flat[name] = value as LibraryOptions[string];
  }
  return flat;
}

/** The four predictions for one case; the message is validated and its facts read once. */
export function predictCase(c: MatrixCase): Map<PeerLibrary, LibraryVerdict> {
  const report = validateResponse(c.xml, c.context);
  const facts = responseFacts(c.xml, report, c.context);
  const options: PeerCase['options'] = c.peer.options;
  return new Map(
    PEER_LIBRARIES.map((library) => [
      library,
      predictFromFacts(LIBRARY_MODELS[library], facts, report, modelOptions(options?.[library])),
    ]),
  );
}
