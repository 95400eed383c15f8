export {
  LIBRARY_MODELS,
  defaultOptions,
  predictFromFacts,
  predictLibraryVerdicts,
  type LibrarySettings,
} from './predict';
export { responseFacts, type ResponseFacts } from './facts';
export * from './types';
export {
  checkOption,
  isLibraryId,
  parseLibraryIds,
  parseLibraryOption,
  readLibrarySettings,
  type Parsed,
} from './settings';
