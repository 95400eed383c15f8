/**
 * The certificate timeline's page: an SVG drawn on the host from core/metadata/timeline.ts, one bar
 * per certificate, today marked. The CSP allows nothing but the nonce'd style and the nonce'd
 * script, which only tells the host which bar was chosen ({ type: 'reveal', index }); every text is
 * escaped. No vscode import, so it is unit-testable.
 */
import type { CertificateTimeline, TimelineState } from '../core/metadata/timeline';
import { formatDate } from '../core/time';
import { escapeHtml } from '../core/xml/escape';
import { createNonce, pageStart } from './html';

export interface TimelineHtmlInput {
  readonly timeline: CertificateTimeline;
  readonly title: string;
  readonly warnDays: number;
  readonly nonce?: string;
}

const WIDTH = 960;
const LABEL_WIDTH = 330;
const CHART_START = LABEL_WIDTH + 10;
const CHART_END = WIDTH - 20;
const ROW = 22;
const AXIS = 40;

const STATE_TEXT: Record<TimelineState, string> = {
  valid: 'valid',
  expiring: 'expiring',
  expired: 'expired',
  'not-yet-valid': 'not valid yet',
};

function shorten(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/** Which bar the page asks to reveal, or undefined for anything else (dropped by the host). */
export function readTimelineMessage(message: unknown, bars: number): number | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { type, index, ...rest } = message as Record<string, unknown>;
  if (type !== 'reveal' || Object.keys(rest).length > 0) return undefined;
  return typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < bars ? index : undefined;
}

export function buildTimelineHtml(input: TimelineHtmlInput): string {
  const { timeline } = input;
  const nonce = input.nonce ?? createNonce();
  const start = timeline.start.getTime();
  const span = Math.max(timeline.end.getTime() - start, 86_400_000);
  const x = (date: Date) => CHART_START + ((date.getTime() - start) / span) * (CHART_END - CHART_START);
  const parts: string[] = [];
  let y = AXIS;
  const firstYear = timeline.start.getUTCFullYear() + 1;
  const lastYear = timeline.end.getUTCFullYear();
  const step = Math.max(1, Math.ceil((lastYear - firstYear + 1) / 12));
  for (let year = firstYear; year <= lastYear; year += step) {
    const at = x(new Date(Date.UTC(year, 0, 1)));
    parts.push(
      `<line class="tick" x1="${at}" x2="${at}" y1="${AXIS - 8}" y2="HEIGHT"/><text class="axis" x="${at}" y="${AXIS - 12}" text-anchor="middle">${year}</text>`,
    );
  }
  const bars = new Map(timeline.bars.map((bar, index) => [bar, index]));
  for (const group of timeline.groups) {
    y += 6;
    const heading = `${group.entityId} · ${group.role} ${group.use}`;
    parts.push(
      `<text class="group" x="0" y="${y + 14}"><title>${escapeHtml(heading)}</title>${escapeHtml(shorten(heading, 60))}</text>`,
    );
    y += ROW;
    for (const bar of group.bars) {
      const index = bars.get(bar) ?? 0;
      const from = x(bar.notBefore);
      const width = Math.max(2, x(bar.notAfter) - from);
      const dates = `${formatDate(bar.notBefore)} – ${formatDate(bar.notAfter)}`;
      parts.push(
        `<g class="bar ${bar.state}" role="link" tabindex="0" data-index="${index}" aria-label="${escapeHtml(bar.label)}">` +
          `<title>${escapeHtml(`${bar.label}\nSHA-256 ${bar.sha256}`)}</title>` +
          `<text class="label" x="12" y="${y + 14}">${escapeHtml(shorten(bar.subject, 34))} (${STATE_TEXT[bar.state]})</text>` +
          `<rect x="${from}" y="${y + 3}" width="${width}" height="${ROW - 8}" rx="3"/>` +
          `<text class="dates" x="${Math.min(from + 4, CHART_END - 150)}" y="${y + 14}">${dates}</text>` +
          `</g>`,
      );
      y += ROW;
    }
  }
  const height = y + 10;
  const today = x(timeline.now);
  parts.push(
    `<line class="today" x1="${today}" x2="${today}" y1="${AXIS - 8}" y2="${height}"/>` +
      `<text class="today-label" x="${today + 4}" y="${AXIS - 26}">today ${formatDate(timeline.now)}</text>`,
  );
  const unreadable = timeline.unreadable.map((u) => `<li>line ${u.line + 1}: ${escapeHtml(u.message)}</li>`);
  const csp = ["default-src 'none'", `style-src 'nonce-${nonce}'`, `script-src 'nonce-${nonce}'`].join('; ');
  const svg = parts.join('\n').replace(/y2="HEIGHT"/g, `y2="${height}"`);
  return `${pageStart(csp)}
<title>${escapeHtml(input.title)}</title>
<style nonce="${escapeHtml(nonce)}">
body { color: var(--vscode-foreground); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }
svg { width: 100%; max-width: ${WIDTH}px; }
svg text { fill: var(--vscode-foreground); font-size: 12px; }
.axis, .dates { fill: var(--vscode-descriptionForeground); font-size: 11px; }
.group { font-weight: bold; }
.tick { stroke: var(--vscode-editorWidget-border, #8884); }
.today { stroke: var(--vscode-focusBorder); stroke-width: 2; }
.bar { cursor: pointer; }
.bar:focus { outline: 1px solid var(--vscode-focusBorder); }
.bar text.dates { pointer-events: none; }
.valid rect { fill: var(--vscode-charts-green, #388a34); }
.expiring rect { fill: var(--vscode-editorWarning-foreground); }
.expired rect { fill: var(--vscode-editorError-foreground); }
.not-yet-valid rect { fill: var(--vscode-editorInfo-foreground); }
</style>
</head>
<body>
<h1>${escapeHtml(input.title)}</h1>
<p>${timeline.bars.length} certificates. Red: expired; yellow: expires within ${input.warnDays} days (samlLens.certificates.expiryWarningDays); blue: not valid yet; green: valid. Choose a bar to show its certificate in the editor.</p>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" role="list" aria-label="${escapeHtml(input.title)}">
${svg}
</svg>
${unreadable.length > 0 ? `<h2>Unreadable certificates</h2><ul>${unreadable.join('')}</ul>` : ''}
<script nonce="${escapeHtml(nonce)}">
const vscode = acquireVsCodeApi();
const reveal = (target) => {
  const bar = target.closest && target.closest('.bar');
  if (bar) vscode.postMessage({ type: 'reveal', index: Number(bar.dataset.index) });
};
document.addEventListener('click', (event) => reveal(event.target));
document.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); reveal(event.target); }
});
</script>
</body>
</html>`;
}
