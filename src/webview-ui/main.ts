/**
 * The decode panel's page. It says "ready", then renders whatever the host sends; it holds no
 * state the host cannot resend (the host re-posts the report after the panel is hidden and shown).
 */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import './panel.css';
import type { HostToPanel, PanelToHost } from '../shared/protocol';
import { el } from './dom';
import { renderPanel } from './render';

interface VsCodeApi {
  postMessage(message: PanelToHost): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('root') as HTMLElement;

// Reports every blocked resource or script, so a test can assert that none happened: to the host,
// and as a count on the root element for tests that look at the page itself.
document.addEventListener('securitypolicyviolation', (event) => {
  const seen = Number(document.documentElement.dataset.cspViolations ?? '0');
  document.documentElement.dataset.cspViolations = String(seen + 1);
  vscode.postMessage({
    type: 'cspViolation',
    directive: event.violatedDirective.slice(0, 2000),
    blockedUri: event.blockedURI.slice(0, 2000),
    sample: event.sample.slice(0, 2000),
  });
});

function showFailure(text: string): void {
  const retry = el('vscode-button', { attrs: { id: 'action-revalidate' } }, 'Re-validate');
  retry.addEventListener('click', () => vscode.postMessage({ type: 'revalidate' }));
  root.replaceChildren(el('p', { className: 'status error', attrs: { role: 'alert' } }, text), retry);
}

window.addEventListener('message', (event: MessageEvent<HostToPanel>) => {
  const message = event.data;
  switch (message?.type) {
    case 'failed':
      showFailure(message.message);
      break;
    case 'show':
      root.replaceChildren(
        renderPanel(message.model, {
          revalidate: () => vscode.postMessage({ type: 'revalidate' }),
          chooseCertificate: () => vscode.postMessage({ type: 'chooseCertificate' }),
          chooseServiceProvider: () => vscode.postMessage({ type: 'chooseServiceProvider' }),
          chooseDecryptionKey: () => vscode.postMessage({ type: 'chooseDecryptionKey' }),
          enterRequestId: () => vscode.postMessage({ type: 'enterRequestId' }),
          openXml: (which) => vscode.postMessage({ type: 'openXml', which }),
          copyRedacted: () => vscode.postMessage({ type: 'copyRedacted' }),
        }),
      );
      vscode.postMessage({
        type: 'rendered',
        verdict: message.model.verdict,
        checks: message.model.checks.length,
        attributes: message.model.attributes.length,
      });
      break;
  }
});

vscode.postMessage({ type: 'ready' });
