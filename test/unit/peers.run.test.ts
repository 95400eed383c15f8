// The peer runner itself (test/peers/run.ts), with stand-in drivers written in sh: what it does with
// verdicts, a missing library or interpreter (skip locally, fail when required), a timeout, and output
// that is not a verdict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PeerCase } from '../peers/cases';
import { type Driver, peersRequired, runPeers } from '../peers/run';

const CASES: PeerCase[] = ['one', 'two'].map((id) => ({
  id,
  responseBase64: '',
  idpCertificatePem: '',
  idpEntityId: 'https://idp.example.org',
  spEntityId: 'https://sp.example.org',
  acsUrl: 'https://sp.example.org/acs',
}));

/** A driver that runs this sh script; the cases file is its $1. */
function sh(script: string): Driver {
  return { command: '/bin/sh', args: ['-c', script, 'driver'], interpreterHint: 'sh' };
}

const verdictLine = (id: string, accepted: boolean, message = '') =>
  JSON.stringify({ id, library: 'node-saml', version: '9.9.9', accepted, message });
const GOOD = sh(`test -s "$1" && echo '${verdictLine('one', true)}' && echo '${verdictLine('two', false, 'no')}'`);

test('peers: verdicts by case and library, read from the driver that got every case in one file', async () => {
  const results = await runPeers(CASES, { libraries: ['node-saml'], drivers: { 'node-saml': GOOD } });
  assert.deepEqual(results.get('one')?.get('node-saml'), {
    id: 'one',
    library: 'node-saml',
    version: '9.9.9',
    accepted: true,
    message: '',
  });
  assert.equal(results.get('two')?.get('node-saml')?.message, 'no');
  assert.equal(results.missing.size, 0);
});

test('peers: a missing library or interpreter is reported locally and fails when every library is required', async () => {
  const drivers = {
    'node-saml': GOOD,
    'python3-saml': sh('echo "python3-saml cannot be imported: install python3-onelogin-saml2" >&2; exit 3'),
    'ruby-saml': { command: '/nonexistent/ruby', args: [], interpreterHint: 'the Debian package ruby-saml' },
  };
  const libraries = ['node-saml', 'python3-saml', 'ruby-saml'] as const;
  const local = await runPeers(CASES, { libraries, drivers, requireAll: false });
  assert.equal(local.get('one')?.get('node-saml')?.accepted, true);
  assert.equal(local.missing.get('python3-saml'), 'python3-saml cannot be imported: install python3-onelogin-saml2');
  assert.match(
    local.missing.get('ruby-saml') ?? '',
    /\/nonexistent\/ruby is not installed; install the Debian package ruby-saml/,
  );
  await assert.rejects(runPeers(CASES, { libraries, drivers, requireAll: true }), (error: Error) => {
    assert.match(error.message, /install python3-onelogin-saml2 \(CI=true or SAML_LENS_REQUIRE_ALL=1/);
    assert.match(error.message, /\/nonexistent\/ruby is not installed/);
    return true;
  });
});

test('peers: CI=true or SAML_LENS_REQUIRE_ALL=1 require every library', () => {
  assert.equal(peersRequired({ CI: 'true' }), true);
  assert.equal(peersRequired({ SAML_LENS_REQUIRE_ALL: '1' }), true);
  assert.equal(peersRequired({}), false);
});

test('peers: a driver over its time limit is killed and fails the run, even locally', async () => {
  await assert.rejects(
    runPeers(CASES, {
      libraries: ['samlify'],
      drivers: { samlify: sh('exec sleep 30') },
      timeoutMs: 300,
      requireAll: false,
    }),
    /samlify: the driver did not finish within 0.3 s and was killed/,
  );
});

test('peers: a crash, a line that is not a verdict, or a case without one fails the run', async () => {
  const run = (script: string) =>
    runPeers(CASES, { libraries: ['node-saml'], drivers: { 'node-saml': sh(script) }, requireAll: false });
  await assert.rejects(run('echo boom >&2; exit 2'), /node-saml: the driver exited with 2 [^\n]*\nboom/);
  await assert.rejects(run('echo "Construct identity provider"'), /printed a line that is not JSON/);
  await assert.rejects(run(`echo '{"id":"one"}'`), /printed a line that is not a verdict/);
  await assert.rejects(run(`echo '${verdictLine('one', true)}'`), /node-saml: no verdict for two/);
});
