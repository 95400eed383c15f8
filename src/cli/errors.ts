/** Exit codes: the contract scripts and CI jobs rely on. */
export const ExitCode = {
  Ok: 0,
  /**
   * `validate`: invalid; `certs`: a certificate expired or within the warning window; `diff`: a
   * signing certificate valid now was dropped.
   */
  Invalid: 1,
  NotVerifiable: 2,
  ParseError: 3,
  Usage: 64,
} as const;

/** A mistake in how the command was called: printed with a hint to --help, exit 64. */
export class UsageError extends Error {}

/** Bad input (unreadable file, not SAML, …): printed as is, exit 3. */
export class InputError extends Error {}
