// The authoring generators: self-signed certificates, SP metadata, test responses, signed metadata.
import * as vscode from 'vscode';
import { registerBuildTestResponse } from './buildTestResponse';
import { registerCreateSpMetadata } from './createSpMetadata';
import { registerGenerateCertificate } from './generateCertificate';
import { registerSignMetadata } from './signMetadata';

export function registerGenerators(): vscode.Disposable {
  return vscode.Disposable.from(registerGenerateCertificate(), registerCreateSpMetadata(), registerBuildTestResponse(), registerSignMetadata());
}
