/** `npm run docs`: rewrites the README's generated sections in place. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedSections, renderReadme } from './readme.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const readmePath = path.join(root, 'README.md');
writeFileSync(readmePath, renderReadme(readFileSync(readmePath, 'utf8'), generatedSections(root)));
