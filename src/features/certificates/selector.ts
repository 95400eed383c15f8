import type * as vscode from 'vscode';

/** XML documents of any kind, and PEM/DER certificate files opened as text. */
export const CERTIFICATE_DOCUMENTS: vscode.DocumentSelector = [{ language: 'xml' }, { pattern: '**/*.{pem,crt,cer}' }];
