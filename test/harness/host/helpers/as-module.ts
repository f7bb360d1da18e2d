/** Compile a test AssemblyScript module once per content (cache under .cache/test-host/). */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { compileAssemblyScript, repoRoot } from '../../../../harness/build/asc.ts';

export async function compileTestModule(relativeEntry: string, abortName = 'myAbort'): Promise<Uint8Array> {
  const entry = path.join(repoRoot, relativeEntry);
  const source = await readFile(entry);
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const outFile = path.join(repoRoot, '.cache', 'test-host', `${path.basename(entry, '.ts')}-${hash}.wasm`);
  if (existsSync(outFile)) return new Uint8Array(await readFile(outFile));
  const internal = relativeEntry.replace(/\\/g, '/').replace(/\.ts$/, '');
  const r = await compileAssemblyScript({ entry, outFile, optimize: false, abort: `${internal}/${abortName}` });
  return r.wasm;
}

/** Parse "CHECK <label> <status>" and "VALUE <label> <text>" lines a conformance module logged. */
export function parseReport(lines: string[]): { checks: Map<string, number>; values: Map<string, string> } {
  const checks = new Map<string, number>();
  const values = new Map<string, string>();
  for (const line of lines) {
    let m = /^CHECK (.+) (\d+)$/.exec(line);
    if (m) {
      checks.set(m[1]!, Number(m[2]));
      continue;
    }
    m = /^VALUE (\S+) ?(.*)$/s.exec(line);
    if (m) values.set(m[1]!, m[2]!);
  }
  return { checks, values };
}
