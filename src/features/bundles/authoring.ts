// Entry of dist/features/authoring.js, loaded on the first completion or hover request in XML (see ../lazy.ts).
export { SamlCompletionProvider } from '../completions';
export { VocabularyHoverProvider } from '../vocabularyHover';
