import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPanelMessageHandler, parsePanelMessage } from '../../src/webview/messageHandler';

describe('decode panel message allow-list', () => {
  const accepted: Array<[string, unknown]> = [
    ['ready', { type: 'ready' }],
    ['revalidate', { type: 'revalidate' }],
    ['chooseCertificate', { type: 'chooseCertificate' }],
    ['chooseServiceProvider', { type: 'chooseServiceProvider' }],
    ['copyRedacted', { type: 'copyRedacted' }],
    ['chooseDecryptionKey', { type: 'chooseDecryptionKey' }],
    ['enterRequestId', { type: 'enterRequestId' }],
    ['openXml pretty', { type: 'openXml', which: 'pretty' }],
    ['openXml raw', { type: 'openXml', which: 'raw' }],
    ['rendered', { type: 'rendered', verdict: 'not-verifiable', checks: 12, attributes: 0 }],
    ['cspViolation', { type: 'cspViolation', directive: 'script-src', blockedUri: 'inline', sample: '' }],
  ];
  for (const [name, message] of accepted) {
    test(`accepts ${name}`, () => {
      const parsed = parsePanelMessage(message);
      assert.equal(parsed.ok, true, parsed.ok ? '' : parsed.reason);
    });
  }

  const rejected: Array<[string, unknown, string]> = [
    ['a string', 'ready', 'expected a message object, got string'],
    ['null', null, 'expected a message object, got null'],
    ['an array', [{ type: 'ready' }], 'expected a message object, got an array'],
    ['no type', { which: 'raw' }, 'message type undefined is not allowed'],
    ['a numeric type', { type: 7 }, 'message type number is not allowed'],
    [
      'an unknown type',
      { type: 'runCommand', command: 'workbench.action.terminal.new' },
      'message type "runCommand" is not allowed',
    ],
    ['a prototype key as type', { type: 'toString' }, 'message type "toString" is not allowed'],
    ['an extra field', { type: 'ready', command: 'x' }, '"ready" message has an unexpected field "command"'],
    // The page never supplies a key, a key file or the request ID itself: the host asks the user.
    [
      'chooseDecryptionKey with a key',
      { type: 'chooseDecryptionKey', pem: '-----BEGIN PRIVATE KEY-----' },
      '"chooseDecryptionKey" message has an unexpected field "pem"',
    ],
    [
      'chooseDecryptionKey with a path',
      { type: 'chooseDecryptionKey', path: '/home/user/.ssh/id_rsa' },
      '"chooseDecryptionKey" message has an unexpected field "path"',
    ],
    [
      'enterRequestId with an ID',
      { type: 'enterRequestId', requestId: '_abc' },
      '"enterRequestId" message has an unexpected field "requestId"',
    ],
    [
      'chooseDecryptionKey misspelt',
      { type: 'chooseDecryptionkey' },
      'message type "chooseDecryptionkey" is not allowed',
    ],
    ['openXml without which', { type: 'openXml' }, '"openXml" message lacks the field "which"'],
    [
      'openXml with a path',
      { type: 'openXml', which: '/etc/passwd' },
      '"openXml" message field "which" is not "pretty" or "raw"',
    ],
    [
      'rendered with a bad verdict',
      { type: 'rendered', verdict: 'ok', checks: 1, attributes: 1 },
      '"rendered" message field "verdict" is not one of valid, invalid, not-verifiable',
    ],
    [
      'rendered with a negative count',
      { type: 'rendered', verdict: 'valid', checks: -1, attributes: 1 },
      '"rendered" message field "checks" is not a non-negative integer',
    ],
    [
      'rendered with a fractional count',
      { type: 'rendered', verdict: 'valid', checks: 1.5, attributes: 1 },
      '"rendered" message field "checks" is not a non-negative integer',
    ],
    [
      'cspViolation with a number',
      { type: 'cspViolation', directive: 1, blockedUri: '', sample: '' },
      '"cspViolation" message field "directive" is not a string',
    ],
    [
      'cspViolation with a huge sample',
      { type: 'cspViolation', directive: 'x', blockedUri: '', sample: 'a'.repeat(2001) },
      '"cspViolation" message field "sample" is longer than 2000 characters',
    ],
  ];
  for (const [name, message, reason] of rejected) {
    test(`rejects ${name}`, () => {
      assert.deepEqual(parsePanelMessage(message), { ok: false, reason });
    });
  }

  test('dispatches allowed messages to their handler only', async () => {
    const calls: string[] = [];
    const warnings: string[] = [];
    const handle = createPanelMessageHandler(
      {
        openXml: (m) => void calls.push(`openXml:${m.which}`),
        revalidate: () => void calls.push('revalidate'),
      },
      { warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
    );
    await handle({ type: 'openXml', which: 'raw' });
    await handle({ type: 'revalidate' });
    await handle({ type: 'deleteFile', path: '/' });
    await handle({ type: 'openXml', which: 'raw', extra: true });
    // Allowed but without a handler: nothing happens, nothing is logged.
    await handle({ type: 'copyRedacted' });
    assert.deepEqual(calls, ['openXml:raw', 'revalidate']);
    assert.deepEqual(warnings, [
      'Decode panel: ignored a message from the page: message type "deleteFile" is not allowed',
      'Decode panel: ignored a message from the page: "openXml" message has an unexpected field "extra"',
    ]);
  });

  test('a failing handler is logged, not thrown', async () => {
    const errors: string[] = [];
    const handle = createPanelMessageHandler(
      { revalidate: () => Promise.reject(new Error('metadata file vanished')) },
      { warn: () => assert.fail('no warning expected'), error: (m) => errors.push(m) },
    );
    await handle({ type: 'revalidate' });
    assert.deepEqual(errors, ['Decode panel: handling "revalidate" failed: metadata file vanished']);
  });
});
