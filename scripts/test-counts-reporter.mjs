// A node:test reporter that keeps the run's counts in the JSON file named by SAML_LENS_TEST_COUNTS,
// written synchronously after every result: { passed, failed, skipped }. Unlike a file reporter
// (Node 20 can exit under --test-force-exit before the TAP file's last lines are written), the
// counts survive a forced exit. It prints nothing.
//
//   SAML_LENS_TEST_COUNTS=counts.json node --test --test-force-exit \
//     --test-reporter=./scripts/test-counts-reporter.mjs --test-reporter-destination=stdout ...
//
// Tests are counted, suites are not, except a suite that fails without a failing test inside (a
// failing hook, a timeout): that counts as one failure, so no failure goes uncounted.
import { writeFileSync } from 'node:fs';

export default async function* countsReporter(source) {
  const file = process.env.SAML_LENS_TEST_COUNTS;
  const counts = { passed: 0, failed: 0, skipped: 0 };
  const save = () => file && writeFileSync(file, JSON.stringify(counts));
  // failedInside[n]: a failure was counted inside the suite now open at nesting level n.
  const failedInside = [];
  const markParents = (nesting) => {
    for (let level = 0; level < nesting; level++) failedInside[level] = true;
  };
  save();
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { nesting = 0, skip, todo, details } = event.data;
    if (details?.type === 'suite') {
      if (event.type === 'test:fail') {
        if (!failedInside[nesting]) counts.failed += 1;
        markParents(nesting);
      }
      failedInside[nesting] = false;
    } else if (event.type === 'test:fail') {
      counts.failed += 1;
      markParents(nesting);
    } else if (skip || todo) counts.skipped += 1;
    else counts.passed += 1;
    save();
  }
  yield ''; // Nothing to print: the counts are in the file.
}
