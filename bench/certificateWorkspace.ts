/**
 * A generated workspace of 10,000 files for *SAML: Check Certificates in Workspace*: a quarter each
 * of one-entity metadata files, PEM certificates, DER certificates (.cer) and files the check does
 * not read (source code and notes), spread over 100 folders. The metadata and certificates come
 * from the aggregate generator, so a tenth are expired and some expiring, as in the aggregate.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateAggregate } from './generateAggregate';

export const WORKSPACE_FILES = 10_000;
const FOLDERS = 100;

function pem(base64: string): string {
  return `-----BEGIN CERTIFICATE-----\n${base64.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** Writes the workspace into `dir` unless it holds the files already; returns the number of files. */
export function ensureCertificateWorkspace(dir: string): number {
  if (existsSync(join(dir, 'folder-99'))) return WORKSPACE_FILES;
  const quarter = WORKSPACE_FILES / 4;
  // One certificate per entity: twice a quarter of entities give the PEM and the DER files theirs.
  const aggregate = generateAggregate(quarter * 2);
  const head = /^[\s\S]*?<md:EntitiesDescriptor\b[^>]*>/.exec(aggregate)?.[0];
  if (!head) throw new Error('the generated aggregate has no EntitiesDescriptor');
  const namespaces = [...head.matchAll(/\sxmlns:\w+="[^"]*"/g)].map((m) => m[0]).join('');
  const entities = [...aggregate.matchAll(/<md:EntityDescriptor\b[\s\S]*?<\/md:EntityDescriptor>/g)].map((m) => m[0]);
  const certificates = [
    ...aggregate.matchAll(/<ds:X509Certificate>\s*([A-Za-z0-9+/=\s]+?)\s*<\/ds:X509Certificate>/g),
  ].map((m) => m[1].replace(/\s+/g, ''));
  if (entities.length < quarter || certificates.length < quarter * 2)
    throw new Error(`the generated aggregate has ${entities.length} entities and ${certificates.length} certificates`);
  for (let f = 0; f < FOLDERS; f++) mkdirSync(join(dir, `folder-${f}`), { recursive: true });
  const at = (i: number, name: string) => join(dir, `folder-${i % FOLDERS}`, name);
  for (let i = 0; i < quarter; i++) {
    const entity = entities[i].replace('<md:EntityDescriptor', `<md:EntityDescriptor${namespaces}`);
    writeFileSync(at(i, `metadata-${i}.xml`), `<?xml version="1.0" encoding="UTF-8"?>\n${entity}\n`);
    writeFileSync(at(i, `certificate-${i}.pem`), pem(certificates[i]));
    writeFileSync(at(i, `certificate-${i}.cer`), Buffer.from(certificates[quarter + i], 'base64'));
    writeFileSync(
      at(i, `notes-${i}.ts`),
      `// Unrelated source file ${i}: the check must not read it.\nexport const value${i} = ${i};\n`.repeat(20),
    );
  }
  return WORKSPACE_FILES;
}

/** Wall time of reading every file of `dir` with `cat`, in milliseconds: the reference. */
export function timeCatAll(dir: string): number {
  const started = performance.now();
  const result = spawnSync('bash', ['-c', 'find "$1" -type f -print0 | xargs -0 cat > /dev/null', 'bench', dir]);
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`cat of ${dir} failed: ${result.stderr.toString().trim()}`);
  return ms;
}

/** How many files of `dir` there are, to check the workspace is whole. */
export function countFiles(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;
}
