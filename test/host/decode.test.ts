// "SAML: Decode Message" in a real extension host, on the sample workspace: the report model the
// panel receives for the sample responses, trust found in the Entra ID metadata, the page's render
// acknowledgement, the specific message for bad input, cursor decoding, redaction and re-validation
// when a trusted certificate file changes. Expected values are read from the samples with
// base64/openssl in the test, or written out by hand from samples/README.md.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SamlLensApi } from '../../src/api';
import type { DecodeApi } from '../../src/features/decode/register';
import { EXTENSION_ID } from '../../src/ids';
import { WindowStubs } from './windowStubs';
import { pollUntil } from './poll';

/** The samples' generation date is 2026-11-29; noon that day is inside every sample's window except the expired one. */
const NOW = new Date('2026-11-29T12:00:00Z');
const ISSUER = 'https://sts.windows.net/4f1a9c2e-7b3d-4e8a-9c51-2d6b8e0f3a77/';

function samplesRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder open');
  return folder.uri.fsPath;
}

function sample(relative: string): string {
  return readFileSync(path.join(samplesRoot(), relative), 'utf8');
}

async function decodeApi(): Promise<DecodeApi> {
  const api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as SamlLensApi;
  assert.ok(api.decode, 'activate() returned no decode API');
  return api.decode;
}

function failedCodes(decode: DecodeApi): string[] {
  const report = decode.lastReport();
  assert.ok(report, 'no report');
  return report.findings
    .filter((f) => f.status === 'fail')
    .map((f) => f.code)
    .sort();
}

/**
 * The input box the command creates, played by the test: `type()` and `accept()` are the person's
 * keys, `hide()` is Escape. Records when it was shown and what it held then.
 */
class ScriptedInputBox {
  value = '';
  title: string | undefined;
  prompt: string | undefined;
  placeholder: string | undefined;
  busy = false;
  ignoreFocusOut = false;
  validationMessage: string | vscode.InputBoxValidationMessage | undefined;
  shownAt: number | undefined;
  shownWith: { value: string; prompt: string | undefined; busy: boolean } | undefined;
  private readonly changed = new vscode.EventEmitter<string>();
  private readonly accepted = new vscode.EventEmitter<void>();
  private readonly hidden = new vscode.EventEmitter<void>();
  readonly onDidChangeValue = this.changed.event;
  readonly onDidAccept = this.accepted.event;
  readonly onDidHide = this.hidden.event;

  constructor(private readonly onShow: (box: ScriptedInputBox) => void) {}

  show(): void {
    this.shownAt = Date.now();
    this.shownWith = { value: this.value, prompt: this.prompt, busy: this.busy };
    this.onShow(this);
  }
  hide(): void {
    this.hidden.fire();
  }
  dispose(): void {}
  type(value: string): void {
    this.value = value;
    this.changed.fire(value);
  }
  accept(): void {
    this.accepted.fire();
  }
}

/** The clipboard, and the input boxes the command creates, each played by `person`. */
class PaletteStubs extends WindowStubs {
  readonly boxes: ScriptedInputBox[] = [];

  constructor(clipboard: vscode.Clipboard, person: (box: ScriptedInputBox) => void) {
    super();
    this.replaceClipboard(clipboard);
    this.replace('createInputBox', () => {
      const box = new ScriptedInputBox(person);
      this.boxes.push(box);
      return box;
    });
  }
}

suite('Decode & validate', () => {
  let decode: DecodeApi;

  suiteSetup(async () => {
    decode = await decodeApi();
    decode.setClock(NOW);
  });

  suiteTeardown(async () => {
    decode.setClock(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the valid sample, selected in an editor: valid, trusted through the Entra ID metadata, four verified attributes', async () => {
    const document = await vscode.workspace.openTextDocument(
      path.join(samplesRoot(), 'responses', 'b.simon-valid.saml.txt'),
    );
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(document.positionAt(0), document.positionAt(document.getText().length));
    await vscode.commands.executeCommand('samlLens.decodeMessage');

    const model = await pollUntil('a model', () => decode.lastModel());
    assert.equal(model.verdict, 'valid', JSON.stringify(model.checks.filter((c) => c.status === 'fail')));
    assert.equal(model.issuer, ISSUER);
    assert.deepEqual(
      model.attributes.map((a) => [a.name, a.values, a.signed]),
      [
        ['FirstName', ['B'], true],
        ['LastName', ['Simon'], true],
        ['Country', ['United States'], true],
        ['Email', ['B.Simon@contoso.com'], true],
      ],
    );
    assert.deepEqual(model.subject, {
      nameId: 'B.Simon@contoso.com',
      format: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      signed: true,
    });
    // Trust came from the workspace metadata whose entityID is the Issuer, and the panel says which file.
    assert.ok(
      model.trust.some(
        (note) =>
          note.what === `IdP ${ISSUER}` && note.source.includes('entra-id/UpworkEnterprise-FederationMetadata.xml'),
      ),
      JSON.stringify(model.trust),
    );
    // Expectations came from the SP metadata, matched by Audience; all four claims arrived.
    assert.ok(
      model.expectations.some(
        (n) => n.source.includes('upwork-enterprise/sp-metadata.xml') && n.source.includes('matched by Audience'),
      ),
      JSON.stringify(model.expectations),
    );
    assert.deepEqual(
      model.claims.map((c) => `${c.expected}:${c.status}`),
      ['FirstName:present', 'LastName:present', 'Country:present', 'Email:present'],
    );
    // The SP metadata says WantAssertionsSigned="true", and the panel says it was required.
    assert.ok(
      model.expectations.some((n) => n.what === 'Signed assertion'),
      JSON.stringify(model.expectations),
    );

    // The signature row names the certificate openssl fingerprints from Entra's .cer download.
    const fingerprint = execFileSync(
      'openssl',
      [
        'x509',
        '-in',
        path.join(samplesRoot(), 'entra-id', 'UpworkEnterprise.cer'),
        '-noout',
        '-fingerprint',
        '-sha256',
      ],
      { encoding: 'utf8' },
    )
      .trim()
      .replace(/^.*=/, '');
    assert.deepEqual(
      model.signatures.map((s) => [s.covers, s.certificateThumbprint, s.trusted, s.digestMatches, s.signatureMatches]),
      [['Assertion', fingerprint, true, true, true]],
    );

    // The raw XML the panel offers is exactly the base64-decoded sample.
    assert.equal(model.xml.raw, Buffer.from(sample('responses/b.simon-valid.saml.txt'), 'base64').toString('utf8'));

    // The page rendered it and reported no CSP violation.
    const rendered = await pollUntil('the panel to render', () => decode.panelState().rendered);
    assert.deepEqual(rendered, { type: 'rendered', verdict: 'valid', checks: model.checks.length, attributes: 4 });
    assert.deepEqual(decode.panelState().cspViolations, []);
  });

  test("SP libraries: node-saml rejects the assertion-only signature of the valid sample, beside SAML Lens's verdict", async () => {
    // Entra ID's default signing: the assertion is signed, the Response is not.
    const config = vscode.workspace.getConfiguration('samlLens');
    try {
      const result = await decode.decodeText(sample('responses/b.simon-valid.saml.txt'));
      assert.ok(result.ok);
      assert.equal(result.model.verdict, 'valid');
      const posted = await pollUntil('a model with library verdicts', () => decode.lastModel()?.libraries);
      assert.deepEqual(
        posted.map((l) => l.library),
        ['node-saml', 'samlify', 'python3-saml', 'ruby-saml'],
      );
      const nodeSaml = posted.find((l) => l.library === 'node-saml');
      assert.ok(nodeSaml);
      assert.equal(nodeSaml.version, '5.1.0');
      assert.equal(nodeSaml.outcome, 'rejected');
      assert.equal(nodeSaml.message, 'Invalid document signature');
      assert.deepEqual(
        nodeSaml.changes.find((c) => c.option === 'wantAuthnResponseSigned'),
        { option: 'wantAuthnResponseSigned', value: 'false', outcome: 'would accept this' },
      );
      const rendered = await pollUntil('the panel to render', () => decode.panelState().rendered);
      assert.equal(rendered.verdict, 'valid');
      assert.deepEqual(decode.panelState().cspViolations, []);

      // samlLens.spLibrary picks the libraries and sets their options.
      await config.update(
        'spLibrary',
        { libraries: ['node-saml'], options: { 'node-saml': { wantAuthnResponseSigned: false, noSuchOption: 1 } } },
        vscode.ConfigurationTarget.Global,
      );
      const configured = await decode.decodeText(sample('responses/b.simon-valid.saml.txt'));
      assert.ok(configured.ok);
      assert.deepEqual(
        configured.model.libraries?.map((l) => [l.library, l.outcome]),
        [['node-saml', 'accepted']],
      );
      assert.ok(
        configured.model.libraryNotes?.some((n) => n.includes('noSuchOption')),
        JSON.stringify(configured.model.libraryNotes),
      );
    } finally {
      await config.update('spLibrary', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('the expired sample fails exactly on its two expiry bounds', async () => {
    const result = await decode.decodeText(sample('responses/b.simon-expired.saml.txt'));
    assert.ok(result.ok);
    assert.equal(result.model.verdict, 'invalid');
    assert.deepEqual(failedCodes(decode), ['time.expired', 'time.subject-confirmation-expired']);
    // One-hour lifetime from 2026-11-27T00:00:00Z; the clock is 2026-11-29T12:00:00Z.
    const bound = result.model.timeline.find((t) => t.label === 'Conditions NotOnOrAfter');
    assert.deepEqual(bound && [bound.instant, bound.relative, bound.status], [
      '2026-11-27T01:00:00.000Z',
      'expired 2 days ago',
      'bad',
    ]);
  });

  test('the wrong-audience sample fails exactly on the audience, with expected and found values', async () => {
    const result = await decode.decodeText(sample('responses/b.simon-wrong-audience.saml.txt'));
    assert.ok(result.ok);
    assert.equal(result.model.verdict, 'invalid');
    assert.deepEqual(failedCodes(decode), ['audience.mismatch']);
    const audience = result.model.checks.find((c) => c.code === 'audience.mismatch');
    assert.ok(audience?.expected?.includes('https://www.upwork.com/upwork-enterprise'), JSON.stringify(audience));
    assert.ok(audience?.found?.includes('https://www.upwork.com'), JSON.stringify(audience));
    // Matched by Destination, since the Audience is the wrong one.
    assert.ok(
      result.model.expectations.some((n) => n.source.includes('matched by Destination')),
      JSON.stringify(result.model.expectations),
    );
  });

  /** Runs "SAML: Decode Message" with nothing selected and `clipboard` as the clipboard; `person` plays the input box. */
  async function decodeFromPalette(clipboard: vscode.Clipboard, person: (box: ScriptedInputBox) => void) {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const stubs = new PaletteStubs(clipboard, person);
    const started = Date.now();
    try {
      const result = (await vscode.commands.executeCommand('samlLens.decodeMessage')) as
        { ok: boolean; model?: { verdict: string } } | undefined;
      assert.equal(stubs.boxes.length, 1, 'expected one input box');
      const box = stubs.boxes[0];
      assert.ok(box.shownAt !== undefined && box.shownWith, 'the input box was not shown');
      const shownAfterMs = box.shownAt - started;
      assert.ok(shownAfterMs < 1000, `the input box took ${shownAfterMs} ms`);
      return { result, box, shownWith: box.shownWith };
    } finally {
      stubs.restore();
    }
  }

  const clipboardHolding = (text: string, delayMs = 0): vscode.Clipboard => ({
    readText: () => new Promise((resolve) => setTimeout(() => resolve(text), delayMs)),
    writeText: async () => undefined,
  });
  const escape = (box: ScriptedInputBox) => box.hide();
  const NOT_SAML = 'hello, this is not a SAML message';

  test('without a selection, a SAML message on the clipboard pre-fills the input box, and Enter decodes it', async () => {
    const message = sample('responses/b.simon-expired.saml.txt');
    const { result, shownWith } = await decodeFromPalette(clipboardHolding(message), (box) => box.accept());
    assert.equal(shownWith.value, message);
    assert.match(shownWith.prompt ?? '', /from the clipboard/);
    assert.equal(result?.ok, true);
    assert.deepEqual(failedCodes(decode), ['time.expired', 'time.subject-confirmation-expired']);
  });

  test('a message only the decoder recognises (unusual prefixes, no CodeLens) is offered too, after it decodes', async () => {
    const xml =
      '<p:LogoutRequest xmlns:p="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:a="urn:oasis:names:tc:SAML:2.0:assertion" ID="_1" Version="2.0" IssueInstant="2026-11-29T11:59:00Z">' +
      '<a:Issuer>https://sp.example</a:Issuer><a:NameID>x</a:NameID></p:LogoutRequest>';
    const message = Buffer.from(xml).toString('base64');
    const { shownWith } = await decodeFromPalette(clipboardHolding(message), escape);
    assert.equal(shownWith.value, message);
  });

  test('a clipboard that never answers: the input box is shown within a second, empty', async () => {
    let asked = 0;
    const silent: vscode.Clipboard = {
      readText: () => {
        asked++;
        return new Promise<string>(() => {});
      },
      writeText: async () => undefined,
    };
    const { result, shownWith } = await decodeFromPalette(silent, escape);
    assert.equal(asked, 1, 'the command did not read the stubbed clipboard');
    assert.equal(shownWith.value, '');
    assert.equal(shownWith.busy, true, 'the box should show that the clipboard is still being read');
    assert.equal(result, undefined);
  });

  test('a clipboard that answers late fills the untouched box in; Enter decodes it', async () => {
    const message = sample('responses/b.simon-valid.saml.txt');
    const { result, shownWith } = await decodeFromPalette(clipboardHolding(message, 700), (box) => {
      void pollUntil('the late clipboard in the box', () => box.value === message).then(() => box.accept());
    });
    assert.equal(shownWith.value, '');
    assert.equal(result?.ok, true);
    assert.equal(result?.model?.verdict, 'valid');
  });

  test('a late clipboard never replaces what the person typed', async () => {
    const message = sample('responses/b.simon-valid.saml.txt');
    let valueAfterAnswer: string | undefined;
    await decodeFromPalette(clipboardHolding(message, 500), (box) => {
      box.type('_typed');
      setTimeout(() => {
        valueAfterAnswer = box.value;
        box.hide();
      }, 900);
    });
    assert.equal(valueAfterAnswer, '_typed');
  });

  test('a clipboard that fails, or holds text that is not SAML: an empty input box', async () => {
    const failing: vscode.Clipboard = {
      readText: () => Promise.reject(new Error('Read permission denied.')),
      writeText: async () => undefined,
    };
    for (const clipboard of [failing, clipboardHolding(NOT_SAML), clipboardHolding('')]) {
      const { shownWith } = await decodeFromPalette(clipboard, escape);
      assert.equal(shownWith.value, '');
    }
  });

  test('the input box refuses text that is not a SAML message with the reason, keeps it, and decodes a message pasted into it', async () => {
    const message = sample('responses/b.simon-valid.saml.txt').trim();
    let refusal: unknown;
    let kept: string | undefined;
    const { result } = await decodeFromPalette(clipboardHolding(''), (box) => {
      void (async () => {
        box.type(NOT_SAML);
        box.accept();
        refusal = await pollUntil('the reason in the box', () => box.validationMessage);
        kept = box.value;
        box.type(message);
        await pollUntil('the reason to clear', () => box.validationMessage === undefined);
        box.accept();
      })();
    });
    assert.equal(
      refusal,
      'No SAML message found: expected base64 (from a SAMLResponse/SAMLRequest field), a URL or form body containing SAMLResponse= or SAMLRequest=, or XML starting with "<".',
    );
    assert.equal(kept, NOT_SAML);
    assert.equal(result?.ok, true);
    assert.equal(result?.model?.verdict, 'valid');
  });

  test('the AuthnRequest in a Redirect URL: decoded from DEFLATE, trust looked up in the SP metadata', async () => {
    const result = await decode.decodeText(sample('requests/upwork-enterprise-authn-request.redirect-url.txt'));
    assert.ok(result.ok);
    assert.equal(result.model.messageKind, 'AuthnRequest');
    assert.equal(result.model.binding, 'HTTP-Redirect (base64 + DEFLATE)');
    assert.equal(result.model.issuer, 'https://www.upwork.com/upwork-enterprise');
    assert.ok(
      result.model.trust.some(
        (n) =>
          n.what === 'SP https://www.upwork.com/upwork-enterprise' &&
          n.source.includes('upwork-enterprise/sp-metadata.xml'),
      ),
      JSON.stringify(result.model.trust),
    );
  });

  test('service providers and certificate files from settings are used and named', async () => {
    const config = vscode.workspace.getConfiguration('samlLens');
    const certificate = path.join(samplesRoot(), 'entra-id', 'UpworkEnterprise.cer');
    try {
      // An SP entry for the audience the wrong-audience sample carries, expecting one attribute it lacks.
      await config.update(
        'serviceProviders',
        [
          {
            entityId: 'https://www.upwork.com',
            acsUrls: ['https://www.upwork.com/ab/account-security/saml/acs'],
            expectedAttributes: ['FirstName', 'Department'],
          },
        ],
        vscode.ConfigurationTarget.Global,
      );
      await config.update('trustedCertificates', [certificate], vscode.ConfigurationTarget.Global);
      const result = await decode.decodeText(sample('responses/b.simon-wrong-audience.saml.txt'));
      assert.ok(result.ok);
      assert.ok(
        result.model.expectations.some(
          (n) => n.source === 'https://www.upwork.com from samlLens.serviceProviders (matched by Audience)',
        ),
        JSON.stringify(result.model.expectations),
      );
      assert.ok(
        result.model.trust.some(
          (n) =>
            n.what === 'Trusted certificate' &&
            n.source.includes('UpworkEnterprise.cer') &&
            n.source.includes('samlLens.trustedCertificates'),
        ),
        JSON.stringify(result.model.trust),
      );
      // The audience now matches; the missing Department is the one failure.
      assert.deepEqual(failedCodes(decode), ['attributes.missing']);
      assert.deepEqual(
        result.model.claims.map((c) => `${c.expected}:${c.status}`),
        ['FirstName:present', 'Department:missing'],
      );
    } finally {
      await config.update('serviceProviders', undefined, vscode.ConfigurationTarget.Global);
      await config.update('trustedCertificates', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  const badInputs: Array<[string, string, string]> = [
    [
      'prose',
      'hello, this is not a SAML message',
      'No SAML message found: expected base64 (from a SAMLResponse/SAMLRequest field), a URL or form body containing SAMLResponse= or SAMLRequest=, or XML starting with "<".',
    ],
    [
      'an empty string',
      '   ',
      'Nothing to decode: paste a SAMLResponse or SAMLRequest value, a URL, a form body or the XML.',
    ],
    ['a DOCTYPE', '<!DOCTYPE x [<!ENTITY a "b">]><x/>', 'decode.doctype'],
    [
      'XML that is not SAML',
      '<note xmlns="urn:example">hi</note>',
      'The root element is {urn:example}note, not a SAML 2.0 Response, AuthnRequest, LogoutRequest or LogoutResponse (namespace urn:oasis:names:tc:SAML:2.0:protocol).',
    ],
  ];
  for (const [name, input, expected] of badInputs) {
    test(`bad input (${name}) ends in its specific message, through the command`, async () => {
      const result = (await vscode.commands.executeCommand('samlLens.decodeMessage', input)) as {
        ok: boolean;
        message?: string;
      };
      assert.equal(result.ok, false);
      // The XML reader's wording for this one says where and why; it must name the DOCTYPE and its position.
      if (expected === 'decode.doctype') assert.match(result.message!, /^Line 1, column 1: .*DOCTYPE/);
      else assert.equal(result.message, expected);
      assert.equal(decode.lastError(), result.message);
    });
  }

  test('Decode SAML at Cursor finds the message inside a HAR-like JSON line, and a CodeLens offers it', async () => {
    const base64 = sample('responses/b.simon-valid.saml.txt').trim();
    const har = `{"log":{"entries":[{"request":{"postData":{"params":[{"name":"SAMLResponse","value":"${base64}"}]}}}]}}`;
    const document = await vscode.workspace.openTextDocument({ language: 'json', content: har });
    const editor = await vscode.window.showTextDocument(document);
    const inside = har.indexOf(base64) + 100;
    editor.selection = new vscode.Selection(document.positionAt(inside), document.positionAt(inside));
    const result = (await vscode.commands.executeCommand('samlLens.decodeAtCursor')) as {
      ok: boolean;
      model?: { verdict: string };
    };
    assert.equal(result.ok, true);
    assert.equal(result.model?.verdict, 'valid');

    const lenses = (await vscode.commands.executeCommand(
      'vscode.executeCodeLensProvider',
      document.uri,
    )) as vscode.CodeLens[];
    const ours = lenses.filter((l) => l.command?.command === 'samlLens.decodeAtCursor');
    assert.equal(ours.length, 1);
    assert.equal(document.getText(ours[0].range), base64);
  });

  // Where encoded messages hide in real files, and the exact text the CodeLens should cover.
  const carriers: Array<
    [string, string, (base64: string, redirectUrl: string) => { content: string; expected: string }]
  > = [
    [
      'a log line with the Redirect URL',
      'log',
      (_b, url) => ({
        content: `2026-11-29 12:00:01 INFO redirecting to ${url} (302)`,
        expected: url.slice(url.indexOf('SAMLRequest=')),
      }),
    ],
    [
      'a curl form body with URL-encoded base64',
      'shellscript',
      (b) => {
        const body = `SAMLResponse=${encodeURIComponent(b)}&RelayState=%2Fhome`;
        return {
          content: `curl -X POST -d '${body}' https://www.upwork.com/ab/account-security/saml/acs`,
          expected: body,
        };
      },
    ],
    ['bare base64 in a text file', 'plaintext', (b) => ({ content: `response:\n${b}\n`, expected: b })],
  ];
  for (const [name, language, make] of carriers) {
    test(`a CodeLens finds the message in ${name}, and its command decodes it`, async () => {
      const base64 = sample('responses/b.simon-valid.saml.txt').trim();
      const redirectUrl = sample('requests/upwork-enterprise-authn-request.redirect-url.txt').trim();
      const { content, expected } = make(base64, redirectUrl);
      const document = await vscode.workspace.openTextDocument({ language, content });
      const lenses = (
        (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', document.uri)) as vscode.CodeLens[]
      ).filter((l) => l.command?.command === 'samlLens.decodeAtCursor');
      assert.equal(lenses.length, 1);
      assert.equal(document.getText(lenses[0].range), expected);
      const result = (await vscode.commands.executeCommand(
        lenses[0].command!.command,
        ...lenses[0].command!.arguments!,
      )) as { ok: boolean; model?: { messageKind: string } };
      assert.equal(result.ok, true);
      assert.equal(result.model?.messageKind, expected.startsWith('SAMLRequest=') ? 'AuthnRequest' : 'Response');
    });
  }

  test('Copy redacted replaces the NameID and every e-mail address', async () => {
    await decode.decodeText(sample('responses/b.simon-valid.saml.txt'));
    const copied = await decode.copyRedacted();
    assert.ok(copied);
    assert.equal(await vscode.env.clipboard.readText(), copied);
    assert.doesNotMatch(copied, /B\.Simon@contoso\.com/i);
    assert.match(
      copied,
      /<saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">\[redacted NameID\]<\/saml:NameID>/,
    );
    assert.match(copied, /<saml:AttributeValue>\[redacted email\]<\/saml:AttributeValue>/);
    assert.match(copied, /<saml:AttributeValue>United States<\/saml:AttributeValue>/);
  });

  test('Open XML opens the exact decoded text in an untitled XML editor', async () => {
    await decode.decodeText(sample('responses/b.simon-expired.saml.txt'));
    const document = await decode.openXml('raw');
    assert.ok(document);
    assert.equal(document.isUntitled, true);
    assert.equal(document.languageId, 'xml');
    assert.equal(
      document.getText(),
      Buffer.from(sample('responses/b.simon-expired.saml.txt'), 'base64').toString('utf8'),
    );
  });

  test('a 9 MB message is decoded off the extension host thread: its timers keep running', async function () {
    this.timeout(120_000);
    // ~6.9 MB of XML, ~9.2 MB of base64: under the decoder's 10 MB input limit. Decoding it
    // in-process takes well over a second on this machine (about 1.5 s for the decode step alone),
    // so a bound of 500 ms between timer ticks only holds if the work happens elsewhere.
    const attributes = Array.from(
      { length: 690 },
      (_, i) =>
        `<saml:Attribute Name="Filler${i}"><saml:AttributeValue>${'x'.repeat(10_000)}</saml:AttributeValue></saml:Attribute>`,
    ).join('');
    const xml =
      '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_big" Version="2.0" IssueInstant="2026-11-29T11:59:00Z">' +
      `<saml:Issuer>${ISSUER}</saml:Issuer>` +
      '<saml:Assertion ID="_big_assertion" Version="2.0" IssueInstant="2026-11-29T11:59:00Z">' +
      `<saml:Issuer>${ISSUER}</saml:Issuer><saml:AttributeStatement>${attributes}</saml:AttributeStatement>` +
      '</saml:Assertion></samlp:Response>';
    const base64 = Buffer.from(xml).toString('base64');
    assert.ok(base64.length > 9_000_000 && base64.length < 10 * 1024 * 1024, `base64 is ${base64.length} characters`);

    let last = Date.now();
    let longestGap = 0;
    const ticker = setInterval(() => {
      const now = Date.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 10);
    let result;
    try {
      result = await decode.decodeText(base64, { show: false });
    } finally {
      clearInterval(ticker);
    }
    assert.ok(result.ok);
    // Unsigned, so it cannot be valid; all 690 attributes were read.
    assert.notEqual(result.model.verdict, 'valid');
    assert.equal(result.report.attributes.length, 690);
    assert.ok(longestGap < 500, `the extension host stalled for ${longestGap} ms`);
  });

  test('a chosen certificate file is re-read when it changes, and the verdict follows', async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(path.join(tmpdir(), 'saml-lens-decode-'));
    try {
      const certificate = path.join(dir, 'trusted.pem');
      // Start with the SP's certificate: it did not sign the response.
      copyFileSync(path.join(samplesRoot(), 'upwork-enterprise', 'sp-certificate.pem'), certificate);
      const first = await decode.decodeText(sample('responses/b.simon-valid.saml.txt'), {
        certificate: { kind: 'file', uri: vscode.Uri.file(certificate) },
      });
      assert.ok(first.ok);
      assert.notEqual(first.model.verdict, 'valid');
      assert.ok(
        first.model.trust.some(
          (n) =>
            n.what === 'Trusted certificate' &&
            n.source.includes('trusted.pem') &&
            n.source.includes('chosen in the panel'),
        ),
        JSON.stringify(first.model.trust),
      );

      // Replace it with Entra's signing certificate: the watcher re-validates on its own. The
      // watcher is set up asynchronously, so the file is rewritten every second until it is seen.
      const entra = readFileSync(path.join(samplesRoot(), 'entra-id', 'UpworkEnterprise.cer'));
      let lastWrite = 0;
      await pollUntil(
        're-validation after the certificate file changed',
        () => {
          if (Date.now() - lastWrite > 1000) {
            writeFileSync(certificate, entra);
            lastWrite = Date.now();
          }
          return decode.lastReport()?.verdict === 'valid';
        },
        40_000,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  /** ../shared/corpus/metadata, next to the project (absent in some local checkouts). */
  function corpusMetadata(name: string): string | undefined {
    const file = path.resolve(samplesRoot(), '..', '..', 'shared', 'corpus', 'metadata', name);
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  }

  /** A corpus aggregate with the sample Entra ID entity added as the last child of its root. */
  function aggregateWithEntra(dir: string, corpusName: string): string | undefined {
    const aggregate = corpusMetadata(corpusName);
    if (!aggregate) return undefined;
    const entity = sample('entra-id/UpworkEnterprise-FederationMetadata.xml').replace(/^\uFEFF?<\?xml[^>]*\?>\s*/, '');
    const close = aggregate.lastIndexOf('</');
    const file = path.join(dir, corpusName);
    writeFileSync(file, `${aggregate.slice(0, close)}${entity}\n${aggregate.slice(close)}`);
    return file;
  }

  test('an IdP chosen from an aggregate, and from an expired one: valid, with the expiry as a warning', async function () {
    const dir = mkdtempSync(path.join(tmpdir(), 'saml-lens-aggregate-'));
    try {
      const current = aggregateWithEntra(dir, 'swamid-1.0-aggregate.xml');
      const expired = aggregateWithEntra(dir, 'swamid-kalmar-1.0-aggregate-2010.xml');
      if (!current || !expired) return this.skip();
      const chosen = await decode.decodeText(sample('responses/b.simon-valid.saml.txt'), {
        certificate: { kind: 'metadata', uri: vscode.Uri.file(current), entityId: ISSUER },
      });
      assert.ok(chosen.ok);
      assert.equal(chosen.model.verdict, 'valid', JSON.stringify(failedCodes(decode)));
      assert.ok(
        chosen.model.trust.some(
          (n) => n.what === `IdP ${ISSUER}` && n.source.includes('swamid-1.0-aggregate.xml (chosen in the panel)'),
        ),
        JSON.stringify(chosen.model.trust),
      );

      const old = await decode.decodeText(sample('responses/b.simon-valid.saml.txt'), {
        certificate: { kind: 'metadata', uri: vscode.Uri.file(expired), entityId: ISSUER },
      });
      assert.ok(old.ok);
      assert.equal(old.model.verdict, 'valid');
      const warning = old.model.checks.find((c) => c.code === 'trust.metadata-expired');
      assert.equal(warning?.status, 'warn', JSON.stringify(old.model.checks.map((c) => c.code)));
      assert.equal(warning?.found, '2010-04-03T11:30:05Z');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a service provider's idpMetadata aggregate without the Issuer: the specific finding, not verifiable", async function () {
    const dir = mkdtempSync(path.join(tmpdir(), 'saml-lens-aggregate-'));
    const config = vscode.workspace.getConfiguration('samlLens');
    try {
      const aggregate = aggregateWithEntra(dir, 'swamid-1.0-aggregate.xml');
      if (!aggregate) return this.skip();
      // The valid sample with another tenant as Issuer: no metadata anywhere has it.
      const otherIssuer = ISSUER.replace('4f1a9c2e', '4f1a9c2f');
      const xml = Buffer.from(sample('responses/b.simon-valid.saml.txt'), 'base64')
        .toString('utf8')
        .split(ISSUER)
        .join(otherIssuer);
      await config.update(
        'serviceProviders',
        [
          {
            entityId: 'https://www.upwork.com/upwork-enterprise',
            acsUrls: ['https://www.upwork.com/ab/account-security/saml/acs'],
            expectedAttributes: ['FirstName'],
            idpMetadata: aggregate,
          },
        ],
        vscode.ConfigurationTarget.Global,
      );
      const result = await decode.decodeText(xml);
      assert.ok(result.ok);
      assert.equal(result.model.verdict, 'not-verifiable');
      const finding = result.model.checks.find((c) => c.code === 'trust.no-matching-entity');
      assert.ok(finding, JSON.stringify(result.model.checks.map((c) => c.code)));
      assert.match(
        finding.message,
        /^None of the \d+ entities in .*swamid-1\.0-aggregate\.xml .* is an IdP with entityID /,
      );
      assert.ok(finding.message.includes(`closest: ${ISSUER}`), finding.message);
    } finally {
      await config.update('serviceProviders', undefined, vscode.ConfigurationTarget.Global);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a public-key file and fingerprints as trust: labelled as what they are; SHA-1 warns', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'saml-lens-keys-'));
    const config = vscode.workspace.getConfiguration('samlLens');
    const certificate = path.join(samplesRoot(), 'entra-id', 'UpworkEnterprise.cer');
    const fingerprint = (algorithm: string) =>
      execFileSync('openssl', ['x509', '-in', certificate, '-noout', '-fingerprint', `-${algorithm}`], {
        encoding: 'utf8',
      })
        .trim()
        .replace(/^.*=/, '');
    try {
      const keyFile = path.join(dir, 'entra.pub.pem');
      writeFileSync(
        keyFile,
        execFileSync('openssl', ['x509', '-in', certificate, '-pubkey', '-noout'], { encoding: 'utf8' }),
      );
      const byKey = await decode.decodeText(sample('responses/b.simon-valid.saml.txt'), {
        certificate: { kind: 'file', uri: vscode.Uri.file(keyFile) },
      });
      assert.ok(byKey.ok);
      assert.equal(byKey.model.verdict, 'valid', JSON.stringify(failedCodes(decode)));
      assert.ok(
        byKey.model.trust.some((n) => n.what === 'Trusted public key' && n.source.includes('entra.pub.pem')),
        JSON.stringify(byKey.model.trust),
      );
      assert.ok(byKey.model.signatures[0].certificateSource?.includes('entra.pub.pem'));

      await config.update(
        'trustedCertificates',
        [`sha256:${fingerprint('sha256')}`, `sha1:${fingerprint('sha1')}`],
        vscode.ConfigurationTarget.Global,
      );
      const byFingerprint = await decode.decodeText(sample('responses/b.simon-valid.saml.txt'));
      assert.ok(byFingerprint.ok);
      assert.equal(byFingerprint.model.verdict, 'valid');
      const labels = byFingerprint.model.trust.map((n) => n.what);
      assert.ok(labels.includes('Trusted SHA-256 fingerprint'), JSON.stringify(byFingerprint.model.trust));
      assert.ok(labels.includes('Trusted SHA-1 fingerprint'), JSON.stringify(byFingerprint.model.trust));
      assert.equal(byFingerprint.model.checks.find((c) => c.code === 'trust.fingerprint-sha1')?.status, 'warn');
    } finally {
      await config.update('trustedCertificates', undefined, vscode.ConfigurationTarget.Global);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
