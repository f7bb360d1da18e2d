/**
 * Build every `filters/<name>/index.ts` (except `filters/sdk`) to `dist/filters/<name>.wasm` (optimized) and
 * `dist/filters/<name>.debug.wasm` (+ `.wasm.map`, name section), check both import sets against what Envoy
 * offers, copy `schema.json`, and skip filters whose inputs did not change. Returns results; never prints.
 */
import { copyFile, readFile, rm, stat } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ascArgs, compileAssemblyScript, repoRoot, type CompileOptions } from './asc.ts';
import { assertLoadable } from './check.ts';
import { hashInputs, listFiles, readStamp, toolchainVersions, writeStamp } from './stamp.ts';

/** Abort handler defined by the SDK (filters/sdk/abort.ts): logs at critical, then traps. */
export const SDK_ABORT = 'asmesh_abort';

export interface BuildFiltersOptions {
  /** Names to build (default: all). */
  only?: string[];
  /** Rebuild even when the stamp says up to date. */
  force?: boolean;
  /** Directory holding `<name>/index.ts` and `sdk/` (default `<repo>/filters`). */
  filtersDir?: string;
  /** Output directory (default `<repo>/dist/filters`). */
  outDir?: string;
  /** Stamp directory (default `<repo>/.cache/build`). */
  cacheDir?: string;
}

export interface FilterBuild {
  name: string;
  wasmPath: string;
  debugWasmPath: string;
  /** Size of the optimized module. */
  bytes: number;
  /** Compile time of both variants (0 when cached). */
  ms: number;
  cached: boolean;
  /** `dist/filters/<name>.schema.json` when the filter has a schema.json. */
  schemaPath: string | null;
}

export interface BuildFailure {
  name: string;
  error: Error;
}

/** One or more filters failed; `failures` carry CompileError (file:line:col) or ImportCheckError. */
export class BuildError extends Error {
  override readonly name = 'BuildError';
  constructor(readonly failures: BuildFailure[], readonly results: FilterBuild[]) {
    super(failures.map((f) => f.error.message).join('\n'));
  }
}

/** Filter names: directories with an index.ts, except sdk. */
export function discoverFilters(filtersDir = path.join(repoRoot, 'filters')): string[] {
  if (!existsSync(filtersDir)) return [];
  return readdirSync(filtersDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'sdk' && existsSync(path.join(filtersDir, e.name, 'index.ts')))
    .map((e) => e.name)
    .sort();
}

/** Code every filter may import: the folders of filters/ that are not filters (`sdk`, `common`). Part of every stamp. */
export function sharedSourceDirs(filtersDir = path.join(repoRoot, 'filters')): string[] {
  if (!existsSync(filtersDir)) return [];
  const filters = new Set(discoverFilters(filtersDir));
  return readdirSync(filtersDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !filters.has(e.name))
    .map((e) => path.join(filtersDir, e.name))
    .sort();
}

/** Compiler options of the two variants (also part of the stamp). */
export function variants(entry: string, outDir: string, name: string): { optimized: CompileOptions; debug: CompileOptions } {
  return {
    optimized: { entry, outFile: path.join(outDir, `${name}.wasm`), optimize: true, abort: SDK_ABORT },
    debug: { entry, outFile: path.join(outDir, `${name}.debug.wasm`), optimize: false, debug: true, abort: SDK_ABORT },
  };
}

export async function buildFilters(options: BuildFiltersOptions = {}): Promise<FilterBuild[]> {
  const filtersDir = options.filtersDir ?? path.join(repoRoot, 'filters');
  const outDir = options.outDir ?? path.join(repoRoot, 'dist', 'filters');
  const cacheDir = options.cacheDir ?? path.join(repoRoot, '.cache', 'build');
  const all = discoverFilters(filtersDir);
  const unknown = (options.only ?? []).filter((n) => !all.includes(n));
  if (unknown.length > 0) {
    throw new BuildError(unknown.map((name) => ({ name, error: new Error(`${name}: no such filter (no ${path.join(filtersDir, name, 'index.ts')})`) })), []);
  }
  const names = options.only && options.only.length > 0 ? all.filter((n) => options.only!.includes(n)) : all;
  const sdkFiles = (await Promise.all(sharedSourceDirs(filtersDir).map((dir) => listFiles(dir)))).flat();
  const results: FilterBuild[] = [];
  const failures: BuildFailure[] = [];
  await pool(names, Math.max(1, Math.min(2, os.cpus().length)), async (name) => {
    try {
      results.push(await buildOne(name, { filtersDir, outDir, cacheDir, sdkFiles, force: options.force ?? false }));
    } catch (error) {
      failures.push({ name, error: error instanceof Error ? error : new Error(String(error)) });
    }
  });
  results.sort((a, b) => a.name.localeCompare(b.name));
  if (failures.length > 0) throw new BuildError(failures.sort((a, b) => a.name.localeCompare(b.name)), results);
  return results;
}

interface OneOptions { filtersDir: string; outDir: string; cacheDir: string; sdkFiles: string[]; force: boolean }

async function buildOne(name: string, o: OneOptions): Promise<FilterBuild> {
  const dir = path.join(o.filtersDir, name);
  const entry = path.join(dir, 'index.ts');
  const { optimized, debug } = variants(entry, o.outDir, name);
  const files = [...(await listFiles(dir)), ...o.sdkFiles];
  const flags = [optimized, debug].map((v) => ascArgs({ ...v, entry: 'ENTRY', outFile: 'OUT' }));
  const hash = await hashInputs(o.filtersDir, files, { toolchain: toolchainVersions(), flags, name });
  const stampFile = path.join(o.cacheDir, `${name}.json`);
  const schemaSrc = path.join(dir, 'schema.json');
  const schemaPath = existsSync(schemaSrc) ? path.join(o.outDir, `${name}.schema.json`) : null;
  const wasmPath = path.resolve(repoRoot, optimized.outFile);
  const debugWasmPath = path.resolve(repoRoot, debug.outFile);

  if (!o.force && (await readStamp(stampFile)) === hash && existsSync(wasmPath) && existsSync(debugWasmPath)
      && (schemaPath === null || existsSync(schemaPath))) {
    return { name, wasmPath, debugWasmPath, bytes: (await stat(wasmPath)).size, ms: 0, cached: true, schemaPath };
  }
  await rm(stampFile, { force: true });
  const started = performance.now();
  const [opt, dbg] = await Promise.all([compileAssemblyScript(optimized), compileAssemblyScript(debug)]);
  assertLoadable(opt.wasm, path.relative(repoRoot, opt.wasmPath));
  assertLoadable(dbg.wasm, path.relative(repoRoot, dbg.wasmPath));
  if (schemaPath !== null) {
    JSON.parse(await readFile(schemaSrc, 'utf8')); // a broken schema fails the build, naming the file
    await copyFile(schemaSrc, schemaPath);
  }
  await writeStamp(stampFile, hash);
  return { name, wasmPath, debugWasmPath, bytes: opt.bytes, ms: Math.round(performance.now() - started), cached: false, schemaPath };
}

async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(runners);
}
