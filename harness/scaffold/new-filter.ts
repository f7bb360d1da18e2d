/** `asmesh new <name>`: writes `filters/<name>/` and `test/filters/<name>/` without touching existing files. */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.ts';
import { filterFiles, testFile, type ScaffoldNames } from './templates.ts';

export interface ScaffoldResult {
  name: string;
  /** Paths written, relative to the project root. */
  files: string[];
}

const NAME = /^[a-z][a-z0-9-]{0,40}$/;
const RESERVED = new Set(['sdk']);

export function scaffoldNames(name: string): ScaffoldNames {
  if (!NAME.test(name) || name.endsWith('-')) {
    throw new ConfigError(`invalid filter name "${name}": use lower-case letters, digits and "-", starting with a letter`);
  }
  if (RESERVED.has(name)) throw new ConfigError(`"${name}" is reserved (filters/${name} is the SDK layer)`);
  const className = name.split('-').map((part) => part[0]!.toUpperCase() + part.slice(1)).join('');
  return { name, className };
}

export async function scaffoldFilter(projectRoot: string, name: string): Promise<ScaffoldResult> {
  const names = scaffoldNames(name);
  const filterDir = path.join(projectRoot, 'filters', name);
  const testPath = path.join(projectRoot, 'test', 'filters', name, `${name}.test.ts`);
  if (existsSync(filterDir)) throw new ConfigError(`filters/${name} already exists; choose another name`);
  if (existsSync(testPath)) throw new ConfigError(`${path.relative(projectRoot, testPath)} already exists; choose another name`);

  const written: string[] = [];
  await mkdir(filterDir, { recursive: true });
  for (const [file, text] of Object.entries(filterFiles(names))) {
    const target = path.join(filterDir, file);
    await writeFile(target, text, { flag: 'wx' });
    written.push(path.relative(projectRoot, target));
  }
  await mkdir(path.dirname(testPath), { recursive: true });
  await writeFile(testPath, testFile(names), { flag: 'wx' });
  written.push(path.relative(projectRoot, testPath));
  return { name, files: written };
}
