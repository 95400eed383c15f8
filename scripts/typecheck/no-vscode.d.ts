// What `vscode` resolves to when src/core is type-checked (src/core/tsconfig.json): a module with
// nothing in it, so any use of the VS Code API from the core fails to compile.
export {};
