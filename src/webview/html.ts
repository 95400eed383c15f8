/**
 * Builds the decode panel's HTML shell. The page carries no message content at all: the data
 * arrives later through postMessage and is rendered as text. The CSP allows only the bundled
 * script (by nonce) and the bundled stylesheet (from the webview's own resource origin).
 * No vscode import: the webview specifics are passed in, so the builder is unit-testable.
 */
import { randomBytes } from 'crypto';
import { escapeHtml } from '../core/xml/escape';

export interface PanelHtmlInput {
  /** `webview.cspSource`: the origin the webview serves local resources from. */
  readonly cspSource: string;
  /** `webview.asWebviewUri(...)` of media/webview/panel.js and panel.css, as strings. */
  readonly scriptUri: string;
  readonly styleUri: string;
  readonly title: string;
  /** Defaults to 16 fresh random bytes; tests pass a fixed one. */
  readonly nonce?: string;
}

export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource}`,
    `font-src ${cspSource}`,
  ].join('; ');
}

/** The start of a page up to its title: the doctype, the CSP and the viewport. */
export function pageStart(csp: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">`;
}

export function buildPanelHtml(input: PanelHtmlInput): string {
  const nonce = input.nonce ?? createNonce();
  const csp = contentSecurityPolicy(input.cspSource, nonce);
  return `${pageStart(csp)}
<link rel="stylesheet" href="${escapeHtml(input.styleUri)}">
<title>${escapeHtml(input.title)}</title>
</head>
<body>
<main id="root"><p class="status">Loading…</p></main>
<script nonce="${escapeHtml(nonce)}" src="${escapeHtml(input.scriptUri)}"></script>
</body>
</html>`;
}
