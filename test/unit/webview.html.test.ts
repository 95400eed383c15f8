import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildPanelHtml, createNonce } from '../../src/webview/html';

describe('decode panel HTML shell', () => {
  const source = 'https://file+.vscode-resource.vscode-cdn.net';
  const html = buildPanelHtml({
    cspSource: source,
    scriptUri: `${source}/ext/media/webview/panel.js`,
    styleUri: `${source}/ext/media/webview/panel.css`,
    title: 'SAML <Response>',
    nonce: 'bm9uY2U=',
  });

  test('declares a strict CSP: nothing by default, the script only by nonce', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
    assert.equal(
      csp,
      `default-src 'none'; script-src 'nonce-bm9uY2U='; style-src ${source}; img-src ${source}; font-src ${source}`,
    );
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
  });

  test('every script tag carries the nonce and there is no inline script', () => {
    const scripts = html.match(/<script[^>]*>[^<]*<\/script>/g) ?? [];
    assert.equal(scripts.length, 1);
    assert.equal(scripts[0], `<script nonce="bm9uY2U=" src="${source}/ext/media/webview/panel.js"></script>`);
  });

  test('escapes the title', () => {
    assert.match(html, /<title>SAML &lt;Response&gt;<\/title>/);
  });

  test('nonces are fresh 16-byte values', () => {
    const a = createNonce();
    assert.equal(Buffer.from(a, 'base64').length, 16);
    assert.notEqual(a, createNonce());
  });
});
