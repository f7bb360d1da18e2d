/** Input hashing for incremental builds: a stamp per output in `.cache/build/`. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';

import { packageDir } from './asc.ts';

/** Every file under `dir` (recursive, sorted), skipping dot-directories and node_modules. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(d: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const full = path.join(d, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile()) out.push(full);
    }
  }
  await walk(dir);
  return out.sort();
}

/** Versions of the compiler and AssemblyScript libraries a filter build depends on. */
export function toolchainVersions(): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const pkg of ['assemblyscript', '@solo-io/proxy-runtime', 'assemblyscript-json']) {
    try {
      versions[pkg] = (JSON.parse(readFileSync(path.join(packageDir(pkg), 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      versions[pkg] = 'missing';
    }
  }
  return versions;
}

/** sha256 over file names (relative to `root`) and contents, plus any extra strings. */
export async function hashInputs(root: string, files: string[], extra: unknown): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(extra));
  for (const f of files) {
    hash.update(`\0${path.relative(root, f)}\0`);
    hash.update(await readFile(f));
  }
  return hash.digest('hex');
}

export async function readStamp(file: string): Promise<string | null> {
  try {
    return (JSON.parse(await readFile(file, 'utf8')) as { hash?: string }).hash ?? null;
  } catch {
    return null;
  }
}

export async function writeStamp(file: string, hash: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify({ hash, at: new Date().toISOString() }) + '\n');
}
