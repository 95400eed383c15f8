/**
 * The one verdict about a message, everywhere it is shown: the validator's report, the CLI's JSON
 * and exit code, and the panel. "not-verifiable": something essential could not be checked (e.g.
 * no trusted key), so the message is neither valid nor shown to be invalid.
 */
export type Verdict = 'valid' | 'invalid' | 'not-verifiable';
