/** The fixed benchmark modules: floor (WAT), bare proxy-runtime, our empty filter, add one header, read all + add one. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import wabtInit from 'wabt';
import { repoRoot } from '../harness/build/asc.ts';
import { compileAssemblyScriptCached } from '../harness/build/cached.ts';
import { SDK_ABORT } from '../harness/build/filters.ts';
import type { BenchCase } from './case.ts';

const out = (name: string): string => path.join(repoRoot, '.cache', 'bench', name);

async function floor(): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const text = await readFile(path.join(repoRoot, 'bench', 'modules', 'floor.wat'), 'utf8');
  const mod = wabt.parseWat('floor.wat', text);
  try {
    return new Uint8Array(mod.toBinary({}).buffer);
  } finally {
    mod.destroy();
  }
}

export const FLOOR = 'floor (hand-written WAT, no SDK)';
export const PROXY_RUNTIME = 'empty on bare proxy-runtime 0.1.8';
export const PROXY_RUNTIME_CYCLIC = 'empty on bare proxy-runtime 0.1.8, stream ↔ root cyclic types';
export const SDK_EMPTY = 'filters/empty on our SDK';
export const SDK_ADD_HEADER = 'headers: add one (our SDK)';
export const PROXY_RUNTIME_ADD_HEADER = 'headers: add one (bare proxy-runtime)';
export const SDK_HEADERS = 'headers: read all + add one (our SDK)';
export const PROXY_RUNTIME_HEADERS = 'headers: read all + add one (bare proxy-runtime)';

export async function baseCases(): Promise<BenchCase[]> {
  const proxyRuntime = await compileAssemblyScriptCached({
    entry: 'bench/modules/proxy-runtime-empty.ts', outFile: out('proxy-runtime-empty.wasm'), abort: 'abort_proc_exit',
    cacheDir: out('asc'),
  });
  const proxyRuntimeCyclic = await compileAssemblyScriptCached({
    entry: 'bench/modules/proxy-runtime-cyclic.ts', outFile: out('proxy-runtime-cyclic.wasm'), abort: 'abort_proc_exit',
    cacheDir: out('asc'),
  });
  const headers = await compileAssemblyScriptCached({
    entry: 'bench/modules/headers.ts', outFile: out('headers.wasm'), abort: SDK_ABORT, inputs: ['filters/sdk'], cacheDir: out('asc'),
  });
  const addHeader = await compileAssemblyScriptCached({
    entry: 'bench/modules/add-header.ts', outFile: out('add-header.wasm'), abort: SDK_ABORT, inputs: ['filters/sdk'], cacheDir: out('asc'),
  });
  const runtimeAddHeader = await compileAssemblyScriptCached({
    entry: 'bench/modules/proxy-runtime-add-header.ts', outFile: out('proxy-runtime-add-header.wasm'), abort: 'abort_proc_exit',
    cacheDir: out('asc'),
  });
  const runtimeHeaders = await compileAssemblyScriptCached({
    entry: 'bench/modules/proxy-runtime-headers.ts', outFile: out('proxy-runtime-headers.wasm'), abort: 'abort_proc_exit',
    cacheDir: out('asc'),
  });
  const emptyPath = path.join(repoRoot, 'dist', 'filters', 'empty.wasm');
  if (!existsSync(emptyPath)) throw new Error('dist/filters/empty.wasm is missing: run npm run build first (npm run bench does)');
  return [
    { name: FLOOR, wasm: await floor(), rootId: 'floor' },
    // proxy-runtime 0.1.8's onConfigure misreads an empty configuration (§8.8): give it "{}".
    { name: PROXY_RUNTIME, wasm: proxyRuntime.wasm, rootId: 'bench', configuration: '{}' },
    { name: PROXY_RUNTIME_CYCLIC, wasm: proxyRuntimeCyclic.wasm, rootId: 'bench', configuration: '{}' },
    { name: SDK_EMPTY, wasm: 'dist/filters/empty.wasm', rootId: 'empty' },
    { name: SDK_ADD_HEADER, wasm: addHeader.wasm, rootId: 'bench' },
    { name: PROXY_RUNTIME_ADD_HEADER, wasm: runtimeAddHeader.wasm, rootId: 'bench', configuration: '{}' },
    { name: SDK_HEADERS, wasm: headers.wasm, rootId: 'bench' },
    { name: PROXY_RUNTIME_HEADERS, wasm: runtimeHeaders.wasm, rootId: 'bench', configuration: '{}' },
  ];
}
