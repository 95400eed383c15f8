/** What a host test run writes to the file named by SAML_LENS_TEST_RESULTS, for the launcher to read. */
export interface HostTestResult {
  /** Suite titles and test title joined with " › ". */
  title: string;
  state: 'passed' | 'failed' | 'skipped';
  durationMs?: number;
  /** Assertion message and stack, for failed tests. */
  error?: string;
}

/** Rewritten after every test, so the launcher sees progress; `done` once the run has ended. */
export interface HostRunResults {
  done: boolean;
  /** The test running now, while not done. */
  running?: string;
  tests: HostTestResult[];
  passed: number;
  failed: number;
  skipped: number;
  /** Set when the run itself broke (a test file failed to load, mocha threw). */
  error?: string;
}

/** Environment variables the launcher passes to the extension host. */
export const RESULTS_FILE_ENV = 'SAML_LENS_TEST_RESULTS';
/** Only tests whose full title contains this text run. */
export const GREP_ENV = 'SAML_LENS_HOST_GREP';
/** "1" also loads test/host/fixtures/*, tests that exist to prove the launcher reports failures. */
export const FIXTURES_ENV = 'SAML_LENS_HOST_FIXTURES';
