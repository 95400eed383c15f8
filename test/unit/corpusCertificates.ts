// The certificates of the real-world metadata in ../shared/corpus, for the certificate tests that
// compare the project's readers with Node's X509Certificate and openssl.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { corpusRoot } from '../requirements';

export const corpusMetadataDirectory = path.join(corpusRoot, 'metadata');

/** The text of every X509Certificate element, file by file in name order, with the file it is in. */
export function corpusCertificates(): { file: string; text: string }[] {
  const certificates: { file: string; text: string }[] = [];
  for (const file of readdirSync(corpusMetadataDirectory)
    .filter((name) => name.endsWith('.xml'))
    .sort()) {
    const xml = readFileSync(path.join(corpusMetadataDirectory, file), 'utf8');
    for (const match of xml.matchAll(/<(?:[\w-]+:)?X509Certificate[^>]*>([^<]*)</g))
      certificates.push({ file, text: match[1] });
  }
  return certificates;
}
