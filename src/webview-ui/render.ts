/**
 * Renders a PanelModel into DOM nodes. All SAML-derived values are text (see dom.ts); URLs are
 * shown, never linked. Order follows what a developer needs first: verdict, what failed and how
 * to fix it, then the data, then the XML.
 */
import type {
  AttributeRow,
  CheckRow,
  ClaimRow,
  LibraryVerdictRow,
  PanelModel,
  SignatureRow,
  SourceNote,
  TimelineRow,
  Verdict,
} from '../shared/protocol';
import { definitionList, el } from './dom';

export interface PanelActions {
  revalidate(): void;
  chooseCertificate(): void;
  chooseServiceProvider(): void;
  chooseDecryptionKey(): void;
  enterRequestId(): void;
  openXml(which: 'pretty' | 'raw'): void;
  copyRedacted(): void;
}

const VERDICT_WORDS: Record<Verdict, string> = {
  valid: 'Valid',
  invalid: 'Invalid',
  'not-verifiable': 'Not verifiable',
};

const CHECK_SYMBOL: Record<CheckRow['status'], string> = {
  fail: '✗',
  warn: '!',
  pass: '✓',
  'not-checked': '?',
  info: 'i',
};
const CHECK_WORDS: Record<CheckRow['status'], string> = {
  fail: 'failed',
  warn: 'warning',
  pass: 'passed',
  'not-checked': 'not checked',
  info: 'info',
};
const CHECK_ORDER: Record<CheckRow['status'], number> = { fail: 0, warn: 1, 'not-checked': 2, info: 3, pass: 4 };

function badge(text: string, kind: string): HTMLElement {
  return el('vscode-badge', { className: `badge badge-${kind}` }, text);
}

function button(label: string, onClick: () => void, options: { secondary?: boolean; id: string }): HTMLElement {
  const attrs: Record<string, string> = { id: options.id };
  if (options.secondary) attrs.secondary = '';
  const b = el('vscode-button', { attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

function section(id: string, heading: string, description: string, open: boolean, ...body: Node[]): HTMLElement {
  const attrs: Record<string, string> = { heading, description, id };
  if (open) attrs.open = '';
  return el('vscode-collapsible', { className: 'section', attrs }, el('div', { className: 'section-body' }, ...body));
}

function renderBanner(model: PanelModel, actions: PanelActions): HTMLElement {
  const meta = [
    model.messageKind,
    model.binding,
    model.issuer ? `Issuer ${model.issuer}` : undefined,
    `checked at ${model.checkedAt}`,
  ]
    .filter((x): x is string => Boolean(x))
    .join(' · ');
  return el(
    'header',
    { className: `banner verdict-${model.verdict}`, attrs: { role: 'status', id: 'verdict' } },
    el('h1', { className: 'verdict-word' }, VERDICT_WORDS[model.verdict]),
    el('p', { className: 'headline' }, model.headline),
    el('p', { className: 'meta' }, meta),
    el(
      'div',
      { className: 'actions', attrs: { role: 'toolbar', 'aria-label': 'Actions' } },
      button('Re-validate', actions.revalidate, { id: 'action-revalidate' }),
      button('Choose certificate…', actions.chooseCertificate, { secondary: true, id: 'action-choose-certificate' }),
      button('Choose service provider…', actions.chooseServiceProvider, { secondary: true, id: 'action-choose-sp' }),
      button('Decryption key…', actions.chooseDecryptionKey, { secondary: true, id: 'action-decryption-key' }),
      button('Request ID…', actions.enterRequestId, { secondary: true, id: 'action-request-id' }),
      button('Open XML in editor', () => actions.openXml('pretty'), { secondary: true, id: 'action-open-xml' }),
      button('Copy redacted', actions.copyRedacted, { secondary: true, id: 'action-copy-redacted' }),
    ),
  );
}

function renderSources(trust: readonly SourceNote[], expectations: readonly SourceNote[]): HTMLElement {
  const list = (title: string, notes: readonly SourceNote[], empty: string) =>
    el(
      'div',
      { className: 'sources' },
      el('h2', {}, title),
      notes.length === 0
        ? el('p', { className: 'muted' }, empty)
        : definitionList(notes.map((n) => [n.what, n.source] as const)),
    );
  return el(
    'div',
    { className: 'source-grid', attrs: { id: 'sources' } },
    list(
      'Trusted certificates',
      trust,
      'No trusted certificate: the signature cannot be verified. Choose a certificate or add the IdP metadata to the workspace.',
    ),
    list(
      'Service provider expectations',
      expectations,
      'No service provider expectations: audience, recipient and attributes are not checked. Choose a service provider.',
    ),
  );
}

function renderCheck(check: CheckRow): HTMLElement {
  return el(
    'li',
    { className: `check check-${check.status}` },
    el(
      'div',
      { className: 'check-head' },
      el('span', { className: 'check-symbol', attrs: { 'aria-hidden': 'true' } }, CHECK_SYMBOL[check.status]),
      el('span', { className: 'check-title' }, check.title),
      badge(CHECK_WORDS[check.status], check.status),
      check.code && el('code', { className: 'check-code' }, check.code),
    ),
    el('p', { className: 'check-message' }, check.message),
    definitionList([
      ['Expected', check.expected],
      ['Found', check.found],
      ['Why it matters', check.why],
      ['How to fix', check.fix],
    ]),
  );
}

function renderChecks(checks: readonly CheckRow[]): HTMLElement {
  const sorted = [...checks].sort((a, b) => CHECK_ORDER[a.status] - CHECK_ORDER[b.status]);
  const failed = checks.filter((c) => c.status === 'fail').length;
  const warned = checks.filter((c) => c.status === 'warn').length;
  return section(
    'checks',
    'Checks',
    `${failed} failed, ${warned} warnings, ${checks.length} in all`,
    true,
    el('ul', { className: 'checklist' }, ...sorted.map(renderCheck)),
  );
}

function table(headers: readonly string[], rows: readonly HTMLElement[], label: string): HTMLElement {
  return el(
    'table',
    { attrs: { 'aria-label': label } },
    el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { attrs: { scope: 'col' } }, h)))),
    el('tbody', {}, ...rows),
  );
}

function renderAttribute(attribute: AttributeRow): HTMLElement {
  return el(
    'tr',
    {},
    el('td', { className: 'mono' }, attribute.name),
    el('td', {}, attribute.friendlyName ?? ''),
    el('td', { className: 'mono small' }, attribute.nameFormat ?? ''),
    el('td', {}, ...attribute.values.map((v) => el('div', { className: 'value mono' }, v))),
    el('td', {}, attribute.signed ? badge('signed', 'signed') : badge('unsigned', 'unsigned')),
  );
}

const CLAIM_WORDS: Record<ClaimRow['status'], string> = {
  present: 'present',
  missing: 'missing',
  'near-miss': 'near miss',
};

function renderClaim(claim: ClaimRow): HTMLElement {
  return el(
    'tr',
    {},
    el('td', { className: 'mono' }, claim.expected),
    el('td', {}, badge(CLAIM_WORDS[claim.status], claim.status)),
    el('td', { className: 'mono' }, claim.foundName ?? ''),
    el('td', {}, claim.suggestion ?? ''),
  );
}

function renderAttributes(model: PanelModel): HTMLElement {
  const parts: Node[] = [];
  if (model.attributes.length === 0) parts.push(el('p', { className: 'muted' }, 'The message carries no attributes.'));
  else
    parts.push(
      table(
        ['Name', 'Friendly name', 'Name format', 'Values', 'Signature'],
        model.attributes.map(renderAttribute),
        'Attributes',
      ),
    );
  if (model.claims.length > 0) {
    parts.push(
      el('h2', {}, 'Claim mapping expected by the service provider'),
      table(
        ['Expected attribute', 'Status', 'Found instead', 'Suggested mapping'],
        model.claims.map(renderClaim),
        'Claim mapping',
      ),
    );
  }
  const missing = model.claims.filter((c) => c.status !== 'present').length;
  const description =
    `${model.attributes.length} attributes` + (model.claims.length ? `, ${missing} expected missing` : '');
  return section('attributes', 'Attributes and claim mapping', description, true, ...parts);
}

function renderTimelineRow(row: TimelineRow): HTMLElement {
  return el(
    'li',
    { className: `time time-${row.status}` },
    el('span', { className: 'time-label' }, row.label),
    el('span', { className: 'time-instant mono' }, row.instant),
    el('span', { className: 'time-relative' }, row.relative),
  );
}

function renderSubject(model: PanelModel): HTMLElement {
  const parts: Node[] = [];
  if (model.subject) {
    parts.push(
      el(
        'div',
        { className: 'subject' },
        el('span', { className: 'label' }, 'NameID '),
        el('span', { className: 'mono', attrs: { id: 'name-id' } }, model.subject.nameId),
        ' ',
        model.subject.signed ? badge('signed', 'signed') : badge('unsigned', 'unsigned'),
        model.subject.format ? el('div', { className: 'muted small mono' }, model.subject.format) : undefined,
      ),
    );
  } else {
    parts.push(el('p', { className: 'muted' }, 'No subject.'));
  }
  if (model.timeline.length > 0)
    parts.push(el('ol', { className: 'timeline' }, ...model.timeline.map(renderTimelineRow)));
  return section('subject', 'Subject and conditions', model.subject?.nameId ?? '', true, ...parts);
}

function yesNo(value: boolean | undefined, yes: string, no: string): string | undefined {
  return value === undefined ? undefined : value ? yes : no;
}

function renderSignature(signature: SignatureRow): HTMLElement {
  return el(
    'div',
    { className: 'signature' },
    el(
      'h2',
      {},
      `Signature over ${signature.covers}`,
      ' ',
      signature.trusted ? badge('trusted', 'signed') : badge('not trusted', 'unsigned'),
    ),
    definitionList([
      ['Signature algorithm', signature.signatureAlgorithm],
      ['Digest algorithm', signature.digestAlgorithm],
      [
        'Digest',
        yesNo(
          signature.digestMatches,
          'matches the signed content',
          'does not match: the content was changed after signing',
        ),
      ],
      [
        'Signature value',
        yesNo(signature.signatureMatches, 'verifies with the certificate', 'does not verify with the certificate'),
      ],
      ['Certificate subject', signature.certificateSubject],
      ['Certificate SHA-256 thumbprint', signature.certificateThumbprint],
      ['Certificate from', signature.certificateSource],
    ]),
  );
}

function renderSignatures(model: PanelModel): HTMLElement {
  const body = model.signatures.length
    ? model.signatures.map(renderSignature)
    : [el('p', { className: 'muted' }, 'The message is not signed.')];
  return section('signatures', 'Signatures', `${model.signatures.length}`, true, ...body);
}

const LIBRARY_OUTCOME: Record<LibraryVerdictRow['outcome'], { words: string; badge: string }> = {
  accepted: { words: 'accepted', badge: 'pass' },
  rejected: { words: 'rejected', badge: 'fail' },
  unknown: { words: 'unknown', badge: 'warn' },
};

function renderLibrary(row: LibraryVerdictRow, verdict: Verdict): HTMLElement {
  const outcome = LIBRARY_OUTCOME[row.outcome];
  const warning =
    row.acceptsWhatSamlLensRejects.length > 0 &&
    el(
      'p',
      { className: 'library-warning', attrs: { role: 'alert' } },
      `${row.library} ${row.version} with these settings would accept this response, which SAML Lens rejects: ${row.acceptsWhatSamlLensRejects.join(', ')}.`,
    );
  const message =
    row.outcome === 'rejected' &&
    el('pre', { className: 'library-message mono' }, row.match === 'prefix' ? `${row.message}…` : row.message);
  return el(
    'div',
    { className: `library library-${row.outcome}`, attrs: { 'data-library': row.library } },
    el(
      'h2',
      {},
      `${row.library} ${row.version}`,
      ' ',
      badge(outcome.words, outcome.badge),
      ' ',
      el('span', { className: 'muted small' }, `SAML Lens: ${VERDICT_WORDS[verdict]}`),
    ),
    warning,
    message,
    definitionList([
      ['Package', `${row.packageName} ${row.version}`],
      ['Provenance', row.provenance],
      [row.outcome === 'unknown' ? 'Why unknown' : 'Check', row.check],
      ['Assumed', row.assumed.length ? row.assumed.join('; ') : undefined],
      [
        'Message match',
        row.outcome === 'rejected' && row.match === 'prefix' ? 'the library appends more after this text' : undefined,
      ],
    ]),
    row.changes.length > 0 &&
      el(
        'ul',
        { className: 'library-changes' },
        ...row.changes.map((c) => el('li', {}, el('code', {}, `${c.option}: ${c.value}`), ` ${c.outcome}`)),
      ),
  );
}

function renderLibraries(model: PanelModel): HTMLElement | undefined {
  const rows = model.libraries;
  if (!rows) return undefined;
  const accepting = rows.filter((r) => r.acceptsWhatSamlLensRejects.length > 0).length;
  const counts = (['accepted', 'rejected', 'unknown'] as const)
    .map((o) => [o, rows.filter((r) => r.outcome === o).length] as const)
    .filter(([, n]) => n > 0)
    .map(([o, n]) => `${n} ${o}`)
    .join(', ');
  const body: Node[] = [
    el(
      'p',
      { className: 'muted small' },
      'What these exact library versions would answer, with their defaults, the settings in samlLens.spLibrary and the expectations above.',
    ),
  ];
  if (rows.length === 0) body.push(el('p', { className: 'muted' }, 'No library chosen in samlLens.spLibrary.'));
  body.push(...rows.map((row) => renderLibrary(row, model.verdict)));
  for (const note of model.libraryNotes ?? []) body.push(el('p', { className: 'muted small' }, `Ignored: ${note}`));
  return section(
    'libraries',
    'Service provider libraries',
    accepting > 0 ? `${counts} · ${accepting} would accept what SAML Lens rejects` : counts,
    true,
    ...body,
  );
}

function renderXml(model: PanelModel, actions: PanelActions): HTMLElement {
  const pre = el('pre', { className: 'xml', attrs: { id: 'xml-text', tabindex: '0', 'aria-label': 'Message XML' } });
  const note = el('p', { className: 'muted small' });
  const prettyButton = el(
    'button',
    { className: 'toggle', attrs: { type: 'button', id: 'xml-pretty' } },
    'Pretty-printed',
  );
  const rawButton = el('button', { className: 'toggle', attrs: { type: 'button', id: 'xml-raw' } }, 'Raw decoded text');
  let showing: 'pretty' | 'raw' = 'pretty';
  const show = (which: 'pretty' | 'raw') => {
    showing = which;
    pre.textContent = which === 'pretty' ? model.xml.pretty : model.xml.raw;
    note.textContent =
      which === 'pretty'
        ? 'Pretty-printing changes the signed bytes; the raw decoded text is what the signature was checked against.'
        : 'Exactly the decoded bytes the signature was checked against.';
    prettyButton.setAttribute('aria-pressed', String(which === 'pretty'));
    rawButton.setAttribute('aria-pressed', String(which === 'raw'));
  };
  prettyButton.addEventListener('click', () => show('pretty'));
  rawButton.addEventListener('click', () => show('raw'));
  show('pretty');
  const openButton = button('Open in editor', () => actions.openXml(showing), { secondary: true, id: 'xml-open' });
  return section(
    'xml',
    'XML',
    model.messageKind,
    false,
    el(
      'div',
      { className: 'xml-toolbar', attrs: { role: 'group', 'aria-label': 'XML view' } },
      prettyButton,
      rawButton,
      openButton,
    ),
    note,
    pre,
  );
}

export function renderPanel(model: PanelModel, actions: PanelActions): DocumentFragment {
  const fragment = document.createDocumentFragment();
  fragment.append(
    renderBanner(model, actions),
    renderSources(model.trust, model.expectations),
    renderChecks(model.checks),
  );
  const libraries = renderLibraries(model);
  if (libraries) fragment.append(libraries);
  fragment.append(renderAttributes(model), renderSubject(model), renderSignatures(model), renderXml(model, actions));
  return fragment;
}
