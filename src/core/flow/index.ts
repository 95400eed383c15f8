export * from './capture';
export * from './flow';
export * from './redact';
