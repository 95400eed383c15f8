// The README's "Which service provider library?" table, generated from the library models: for
// each case of the differential matrix that shows a default people trip over, what SAML Lens says
// and what each library's model predicts. test/unit/peers.matrix.test.ts proves each of these
// predictions equal to the real library's verdict; test/unit/readme.libraries.test.ts keeps the
// README equal to this output.
//
//   npm run library-table            prints the table
//   npm run library-table -- --write rewrites it in README.md
import * as fs from 'fs';
import * as path from 'path';
import { LIBRARY_MODELS } from '../../src/core/libraries';
import { validateResponse } from '../../src/core/validate';
import { PEER_LIBRARIES } from './cases';
import { buildMatrixCases } from './matrixCases';
import { predictCase } from './predictions';

const ROWS: Record<string, string> = {
  'placement.assertion-only': "Signed on the Assertion only (Entra ID's default)",
  'placement.response-only': 'Signed on the Response only',
  'rule.issuer-other-idp': 'Issuer is another IdP (signed with the trusted key)',
  'rule.audience-other-sp': 'Audience is another SP',
  'rule.audience-missing': 'No AudienceRestriction',
  'rule.destination-other': 'Destination is another URL',
  'rule.recipient-other': 'Recipient is another URL',
  'rule.in-response-to-other': 'InResponseTo answers another request',
  'rule.unsolicited-while-request-pending': 'No InResponseTo while a request is pending',
  'rule.version-1.1': 'Version="1.1"',
  'rule.no-authn-statement': 'No AuthnStatement',
  'clock.not-before-in-30s': 'NotBefore 30 s in the future',
  'clock.not-before-in-240s': 'NotBefore 4 minutes in the future',
  'clock.conditions-expired-30s-ago': 'Conditions expired 30 s ago',
  'algorithm.sha1': 'SHA-1 signature and digest',
};

export const README_START = '<!-- library-defaults:start (npm run library-table -- --write) -->';
export const README_END = '<!-- library-defaults:end -->';

export async function libraryDefaultsTable(): Promise<string> {
  const cases = await buildMatrixCases(Object.keys(ROWS));
  const header = ['Response', 'SAML Lens', ...PEER_LIBRARIES.map((id) => `${id} ${LIBRARY_MODELS[id].version}`)];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const c of cases) {
    const lens = validateResponse(c.xml, c.context).verdict;
    const predictions = predictCase(c);
    const cells = PEER_LIBRARIES.map((library) => {
      const verdict = predictions.get(library)!;
      return verdict.outcome === 'accepted' ? 'accepts' : verdict.outcome === 'rejected' ? '**rejects**' : 'unknown';
    });
    lines.push(`| ${ROWS[c.peer.id]} | ${lens === 'valid' ? 'valid' : `**${lens}**`} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

if (require.main === module) {
  void libraryDefaultsTable().then((table) => {
    if (!process.argv.includes('--write')) {
      process.stdout.write(`${table}\n`);
      return;
    }
    const readme = path.resolve(__dirname, '..', '..', 'README.md');
    const text = fs.readFileSync(readme, 'utf8');
    const start = text.indexOf(README_START);
    const end = text.indexOf(README_END);
    if (start < 0 || end < start) throw new Error(`README.md has no ${README_START} … ${README_END} block`);
    fs.writeFileSync(readme, `${text.slice(0, start + README_START.length)}\n${table}\n${text.slice(end)}`);
  });
}
