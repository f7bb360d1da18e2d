/**
 * `compileAssemblyScript` with a content cache, for tests that compile their own modules: the output is
 * reused while the inputs (given files or directories), the toolchain versions and the flags are unchanged.
 * Safe when several test processes compile the same module at once (temporary files + rename).
 */
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ascArgs, compileAssemblyScript, repoRoot, type CompileOptions, type CompileResult } from './asc.ts';
import { hashInputs, listFiles, toolchainVersions } from './stamp.ts';

export interface CachedCompileOptions extends CompileOptions {
  /** Files or directories whose contents decide whether to recompile (the entry is always included). */
  inputs?: string[];
  /** Cache directory (default `<repo>/.cache/asc`). */
  cacheDir?: string;
}

const unique = (): string => `${process.pid}-${Math.random().toString(36).slice(2)}`;

async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${unique()}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, file);
}

export async function compileAssemblyScriptCached(opts: CachedCompileOptions): Promise<CompileResult & { cached: boolean }> {
  const entry = path.resolve(repoRoot, opts.entry);
  const files = new Set<string>([entry]);
  for (const input of opts.inputs ?? []) {
    const abs = path.resolve(repoRoot, input);
    if ((await stat(abs)).isDirectory()) for (const f of await listFiles(abs)) files.add(f);
    else files.add(abs);
  }
  const hash = await hashInputs(repoRoot, [...files].sort(), {
    toolchain: toolchainVersions(), args: ascArgs({ ...opts, outFile: 'OUT' }),
  });
  const cacheDir = opts.cacheDir ?? path.join(repoRoot, '.cache', 'asc');
  const cachedWasm = path.join(cacheDir, `${hash}.wasm`);
  const outFile = path.resolve(repoRoot, opts.outFile);
  if (existsSync(cachedWasm)) {
    const wasm = new Uint8Array(await readFile(cachedWasm));
    await writeAtomically(outFile, wasm);
    return { wasmPath: outFile, bytes: wasm.byteLength, wasm, ms: 0, warnings: [], cached: true };
  }
  const tmpOut = path.join(cacheDir, `${hash}.${unique()}.build.wasm`);
  await mkdir(cacheDir, { recursive: true });
  try {
    const result = await compileAssemblyScript({ ...opts, outFile: tmpOut });
    await writeAtomically(cachedWasm, result.wasm);
    await writeAtomically(outFile, result.wasm);
    return { ...result, wasmPath: outFile, cached: false };
  } finally {
    await rm(tmpOut, { force: true });
    await rm(`${tmpOut}.map`, { force: true });
  }
}
