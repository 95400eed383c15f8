/**
 * How serious a finding is, for every family of codes (validator, certificate, metadata, XML). The
 * editor maps it to a DiagnosticSeverity; `hint` marks a suggestion that is not a problem (e.g. a
 * certificate that reads fine but is wrapped irregularly).
 */
export type Severity = 'error' | 'warning' | 'info' | 'hint';
