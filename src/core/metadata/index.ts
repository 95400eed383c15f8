export * from './model';
export {
  parseMetadata,
  DEFAULT_METADATA_MAX_LENGTH,
  type MetadataParseOptions,
  type MetadataParseResult,
} from './parse';
export { lintMetadata, MetadataLintCode, type Finding, type LintOptions } from './lint';
