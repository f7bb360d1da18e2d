/** `npm run docs`: rewrites the generated sections of the README and the filter READMEs in place. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedDocs, renderGenerated } from './readme.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
for (const doc of generatedDocs(root)) {
  const file = path.join(root, doc.file);
  writeFileSync(file, renderGenerated(readFileSync(file, 'utf8'), doc.sections));
}
