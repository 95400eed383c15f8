/**
 * Parsing again after an edit, without reading the whole document: when the edited text lies inside
 * one md:EntityDescriptor of an EntitiesDescriptor, only that entity is read again (with its
 * ancestors' start tags around it, so namespaces and depth are as in the document), and every
 * offset after the edit moves by the edit's length. The result must equal `parseMetadata` of the
 * new text; anything this path is not sure about (an edit between entities, an error, an entity
 * that now ends elsewhere) returns undefined and the caller parses the whole text.
 */
import type {
  AttributeConsumingServiceNode,
  AttributeNode,
  AttributeValue,
  CertificateOccurrence,
  EntitiesDescriptorNode,
  EntityDescriptorNode,
  ExtensionsNode,
  OtherElement,
  Range,
  TextElement,
} from './model';
import {
  DEFAULT_METADATA_MAX_LENGTH,
  parseMetadata,
  type MetadataParseOptions,
  type MetadataParseResult,
} from './parse';

/**
 * Where two versions of a text differ: `[start, oldEnd)` of the old text became
 * `[start, newEnd)` of the new one; before `start` and after the ends they are the same.
 */
export interface ChangedSpan {
  readonly start: number;
  readonly oldEnd: number;
  readonly newEnd: number;
}

/** One replacement, offsets into the text it applies to (as VS Code reports a content change). */
export interface TextChange {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * Applies `changes` one after the other to `text` and returns the new text and the span of it that
 * differs from the old one; `since` widens an earlier span of the same text.
 */
export function applyChanges(
  text: string,
  changes: readonly TextChange[],
  since?: ChangedSpan,
): { text: string; changed: ChangedSpan | undefined } {
  let start = since?.start ?? Infinity;
  let currentEnd = since?.newEnd ?? -Infinity;
  let delta = since ? since.newEnd - since.oldEnd : 0;
  for (const change of changes) {
    if (change.start < 0 || change.end < change.start || change.end > text.length)
      throw new RangeError(`an edit of ${change.start}–${change.end} does not fit a text of ${text.length} characters`);
    text = text.slice(0, change.start) + change.text + text.slice(change.end);
    const growth = change.text.length - (change.end - change.start);
    start = Math.min(start, change.start);
    currentEnd = Math.max(currentEnd, change.end) + growth;
    delta += growth;
  }
  const changed = start === Infinity ? since : { start, oldEnd: currentEnd - delta, newEnd: currentEnd };
  return { text, changed };
}

/**
 * `parseMetadata(newText)` worked out from the previous result, or undefined when the edit is not
 * inside one entity of a group. Takes over `previous`: its model is changed in place and must not
 * be used for the old text afterwards.
 */
export function reparseAfterChange(
  previous: MetadataParseResult,
  newText: string,
  changed: ChangedSpan,
  options: MetadataParseOptions = {},
): MetadataParseResult | undefined {
  if (!previous.ok) return undefined;
  if (newText.length > (options.maxLength ?? DEFAULT_METADATA_MAX_LENGTH)) return undefined;
  const model = previous.model;
  const entity = entityAround(model.entities, changed);
  if (!entity || entity.group === undefined) return undefined;
  const delta = changed.newEnd - changed.oldEnd;

  // The entity's ancestors, outermost first: their start tags give it its namespaces and depth.
  const ancestors: EntitiesDescriptorNode[] = [];
  for (let group: number | undefined = entity.group; group !== undefined; group = model.groups[group].parentGroup)
    ancestors.unshift(model.groups[group]);
  // They start before the edit, so their tags are where they were.
  const opening = ancestors.map((group) => newText.slice(group.range.start, group.startTagEnd)).join('');
  const closing = ancestors
    .map((group) => `</${tagName(newText, group.range.start)}>`)
    .reverse()
    .join('');
  const entityEnd = entity.range.end + delta;
  const fragment = opening + newText.slice(entity.range.start, entityEnd) + closing;
  const reread = parseMetadata(fragment, options);
  if (!reread.ok || reread.model.entities.length !== 1) return undefined;
  const fresh = reread.model.entities[0];
  const offset = entity.range.start - opening.length;
  if (fresh.range.start + offset !== entity.range.start || fresh.range.end + offset !== entityEnd) return undefined;

  // Offsets of the new entity from the fragment to the text; everything after the edit moves too.
  shiftEntity(fresh, 0, offset);
  const freshCertificates = reread.model.certificates;
  for (const certificate of freshCertificates) {
    if (certificate.place !== 'key-descriptor') shiftCertificate(certificate, 0, offset);
    certificate.entityIndex = entity.index;
  }
  fresh.index = entity.index;
  fresh.group = entity.group;

  const after = changed.oldEnd;
  for (let i = entity.index + 1; i < model.entities.length; i++) shiftEntity(model.entities[i], after, delta);
  for (const group of model.groups) shiftGroup(group, after, delta);
  model.root.range.end = moved(model.root.range.end, after, delta);

  const certificates = model.certificates;
  let first = 0;
  while (first < certificates.length && certificates[first].range.start < entity.range.start) first++;
  let last = first;
  while (last < certificates.length && certificates[last].range.start < entity.range.end) last++;
  for (let i = last; i < certificates.length; i++)
    if (certificates[i].place !== 'key-descriptor') shiftCertificate(certificates[i], after, delta);
  certificates.splice(first, last - first, ...freshCertificates);
  model.entities[entity.index] = fresh;
  return { ok: true, model, errors: [] };
}

/** The entity whose element strictly contains the changed span (its `<` and final `>` untouched). */
function entityAround(
  entities: readonly EntityDescriptorNode[],
  changed: ChangedSpan,
): EntityDescriptorNode | undefined {
  let low = 0;
  let high = entities.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const range = entities[mid].range;
    if (changed.start <= range.start) high = mid - 1;
    else if (changed.start >= range.end) low = mid + 1;
    else return changed.oldEnd < range.end ? entities[mid] : undefined;
  }
  return undefined;
}

function tagName(text: string, start: number): string {
  const match = /^<([^\s/>]+)/.exec(text.slice(start, start + 256));
  return match ? match[1] : '';
}

function moved(offset: number, after: number, delta: number): number {
  return offset >= after ? offset + delta : offset;
}

function shiftRange(range: Range | undefined, after: number, delta: number): void {
  if (!range) return;
  range.start = moved(range.start, after, delta);
  range.end = moved(range.end, after, delta);
}

function shiftRanges(items: readonly { range: Range }[], after: number, delta: number): void {
  for (const item of items) shiftRange(item.range, after, delta);
}

function shiftValue(value: AttributeValue | undefined, after: number, delta: number): void {
  if (value) shiftRange(value.range, after, delta);
}

function shiftCertificate(certificate: CertificateOccurrence, after: number, delta: number): void {
  shiftRange(certificate.range, after, delta);
  shiftRange(certificate.elementRange, after, delta);
}

function shiftExtensions(extensions: ExtensionsNode | undefined, after: number, delta: number): void {
  if (!extensions) return;
  shiftRange(extensions.range, after, delta);
  const ui = extensions.uiInfo;
  if (ui) {
    shiftRange(ui.range, after, delta);
    for (const list of [
      ui.displayNames,
      ui.descriptions,
      ui.logos,
      ui.informationURLs,
      ui.privacyStatementURLs,
      ui.keywords,
    ] as TextElement[][])
      shiftRanges(list, after, delta);
  }
  shiftRange(extensions.registrationInfo?.range, after, delta);
  shiftRanges(extensions.entityAttributes as AttributeNode[], after, delta);
  shiftRanges(extensions.scopes, after, delta);
  shiftRanges(extensions.other as OtherElement[], after, delta);
}

function shiftService(service: AttributeConsumingServiceNode, after: number, delta: number): void {
  shiftRange(service.range, after, delta);
  service.startTagEnd = moved(service.startTagEnd, after, delta);
  shiftRanges(service.serviceNames, after, delta);
  shiftRanges(service.serviceDescriptions, after, delta);
  shiftRanges(service.requestedAttributes, after, delta);
}

/** What groups, entities and roles share: their element, start tag, signature and validity attributes. */
function shiftSignable(
  node: EntitiesDescriptorNode | EntityDescriptorNode | EntityDescriptorNode['roles'][number],
  after: number,
  delta: number,
): void {
  shiftRange(node.range, after, delta);
  node.startTagEnd = moved(node.startTagEnd, after, delta);
  if (node.signatureStart !== undefined) node.signatureStart = moved(node.signatureStart, after, delta);
  shiftValue(node.validUntil, after, delta);
  shiftValue(node.cacheDuration, after, delta);
}

/** Moves every offset of an entity's subtree at or after `after` by `delta` (certificate ranges via their key descriptors). */
function shiftEntity(entity: EntityDescriptorNode, after: number, delta: number): void {
  shiftSignable(entity, after, delta);
  shiftValue(entity.entityID, after, delta);
  for (const role of entity.roles) {
    shiftSignable(role, after, delta);
    for (const key of role.keyDescriptors) {
      shiftRange(key.range, after, delta);
      key.startTagEnd = moved(key.startTagEnd, after, delta);
      for (const certificate of key.certificates) {
        shiftRange(certificate.range, after, delta);
        shiftRange(certificate.elementRange, after, delta);
      }
    }
    for (const endpoint of role.endpoints) {
      shiftRange(endpoint.range, after, delta);
      endpoint.startTagEnd = moved(endpoint.startTagEnd, after, delta);
      shiftValue(endpoint.binding, after, delta);
      shiftValue(endpoint.location, after, delta);
      shiftValue(endpoint.responseLocation, after, delta);
    }
    shiftRanges(role.nameIDFormats, after, delta);
    shiftRanges(role.attributes, after, delta);
    for (const service of role.attributeConsumingServices) shiftService(service, after, delta);
    shiftExtensions(role.extensions, after, delta);
    shiftRanges(role.other, after, delta);
  }
  shiftExtensions(entity.extensions, after, delta);
  if (entity.organization) {
    const organization = entity.organization;
    shiftRange(organization.range, after, delta);
    shiftRanges(organization.names, after, delta);
    shiftRanges(organization.displayNames, after, delta);
    shiftRanges(organization.urls, after, delta);
  }
  shiftRanges(entity.contacts, after, delta);
  shiftRanges(entity.other, after, delta);
}

function shiftGroup(group: EntitiesDescriptorNode, after: number, delta: number): void {
  shiftSignable(group, after, delta);
  shiftValue(group.name, after, delta);
  shiftExtensions(group.extensions, after, delta);
  shiftRanges(group.other, after, delta);
}
