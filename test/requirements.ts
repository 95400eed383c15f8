// What some tests need from outside the repository: the reference tools they compare SAML Lens
// with (xmllint, xmlsec1, openssl, python3, git) and third-party data (../shared/corpus). On a
// developer's machine a test whose requirement is missing is skipped, with a message naming it;
// under SAML_LENS_REQUIRE_ALL=1 (or CI=true, as .ci/run sets) it fails instead, so a CI machine
// without them cannot pass by skipping. Every such skip in test/ goes through this file.
//
//   test('matches xmllint', (t) => {
//     if (skipWithout(t, XMLLINT, corpus('metadata'))) return;
//     ...
//   });
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** True when a missing requirement must fail the test instead of skipping it. */
export const requireAll = process.env.SAML_LENS_REQUIRE_ALL === '1' || process.env.CI === 'true';

export interface Requirement {
  /** What is missing, e.g. "xmllint (apt-get install libxml2-utils)". */
  readonly description: string;
  readonly available: () => boolean;
}

function once(check: () => boolean): () => boolean {
  let answer: boolean | undefined;
  return () => (answer ??= check());
}

function tool(command: string, args: string[], install: string): Requirement {
  return {
    description: `${command} (${install})`,
    available: once(() => spawnSync(command, args, { stdio: 'ignore' }).status === 0),
  };
}

export const XMLLINT = tool('xmllint', ['--version'], 'apt-get install libxml2-utils');
export const XMLSEC1 = tool('xmlsec1', ['--version'], 'apt-get install xmlsec1');
// openssl has no --version flag; it prints its version with the "version" command.
export const OPENSSL = tool('openssl', ['version'], 'apt-get install openssl');
export const PYTHON3 = tool('python3', ['--version'], 'apt-get install python3');
export const GIT = tool('git', ['--version'], 'apt-get install git');

/** A file or folder that must exist, e.g. a corpus folder found relative to the extension. */
export function pathRequirement(location: string, description: string): Requirement {
  return { description: `${description} (${location})`, available: once(() => existsSync(location)) };
}

/** The third-party corpus next to the repository: ../shared/corpus, or a folder inside it. */
export const corpusRoot = path.resolve(__dirname, '..', '..', 'shared', 'corpus');
export function corpus(subfolder = ''): Requirement {
  return pathRequirement(path.join(corpusRoot, subfolder), '../shared/corpus');
}

/** The requirements that are not met. */
export function missing(...requirements: Requirement[]): Requirement[] {
  return requirements.filter((requirement) => !requirement.available());
}

function failure(absent: Requirement[]): Error {
  return new Error(
    `missing ${absent.map((r) => r.description).join(', ')}; ` +
      'SAML_LENS_REQUIRE_ALL=1 (or CI=true) makes this a failure instead of a skip',
  );
}

/**
 * node:test: when a requirement is missing, skips `t` with a message naming it and returns true
 * (the caller returns); under the switch it throws, failing the test. Returns false when all are there.
 */
export function skipWithout(t: { skip(message?: string): void }, ...requirements: Requirement[]): boolean {
  const absent = missing(...requirements);
  if (absent.length === 0) return false;
  if (requireAll) throw failure(absent);
  t.skip(`not present: ${absent.map((r) => r.description).join(', ')}`);
  return true;
}

/**
 * mocha (extension-host tests): skips the running test when a requirement is missing (this.skip()
 * takes no message, so it is printed); under the switch throws, failing the test.
 */
export function skipTestWithout(context: Mocha.Context, ...requirements: Requirement[]): void {
  const absent = missing(...requirements);
  if (absent.length === 0) return;
  if (requireAll) throw failure(absent);
  console.log(`skipped "${context.test?.title}": not present: ${absent.map((r) => r.description).join(', ')}`);
  context.skip();
}

/**
 * For an extra comparison inside a test that also holds without it: true when the requirement is
 * there. Locally a missing one is reported once and the comparison left out; under the switch it
 * throws, failing the test.
 */
export function canCompareWith(requirement: Requirement): boolean {
  if (requirement.available()) return true;
  if (requireAll) throw failure([requirement]);
  if (!reported.has(requirement)) {
    reported.add(requirement);
    console.log(`not present: ${requirement.description}; comparisons with it are left out`);
  }
  return false;
}
const reported = new Set<Requirement>();

/**
 * For node:test's `{ skip }` option: the message to skip with when a requirement is missing, false
 * when all are there. Under the switch it is always false, so the test runs and fails on what is
 * missing.
 */
export function skipUnless(...requirements: Requirement[]): string | false {
  const absent = missing(...requirements);
  if (absent.length === 0 || requireAll) return false;
  return `not present: ${absent.map((r) => r.description).join(', ')}`;
}
