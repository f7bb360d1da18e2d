import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileAssemblyScript, CompileError, repoRoot } from '../../../harness/build/asc.ts';
import { assertLoadable, ImportCheckError } from '../../../harness/build/check.ts';
import { parseDiagnostics } from '../../../harness/build/diagnostics.ts';

const work = path.join(repoRoot, '.cache', 'test-build', 'asc');

async function source(name: string, text: string): Promise<string> {
  await mkdir(work, { recursive: true });
  const file = path.join(work, name);
  await writeFile(file, text);
  return file;
}

describe('compileAssemblyScript', () => {
  it('reports a compile error as file:line:col with the message', async () => {
    const entry = await source('bad.ts', 'export function f(): i32 {\n  return foo;\n}\n');
    const error = await compileAssemblyScript({ entry, outFile: path.join(work, 'bad.wasm'), abort: null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompileError);
    const e = error as CompileError;
    expect(e.diagnostics[0]).toMatchObject({ category: 'ERROR', code: 'TS2304', file: '.cache/test-build/asc/bad.ts', line: 2, column: 10 });
    expect(e.message).toContain(".cache/test-build/asc/bad.ts:2:10: ERROR TS2304: Cannot find name 'foo'.");
  }, 120_000);

  it('names the abort handler when it is not in the program', async () => {
    const entry = await source('plain.ts', 'export function f(): i32 { return 1; }\n');
    const error = await compileAssemblyScript({ entry, outFile: path.join(work, 'plain.wasm'), abort: 'no_such_abort' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompileError);
    expect((error as Error).message).toContain('--use abort=no_such_abort: no global function no_such_abort');
  }, 120_000);

  it('compiles a module and returns its path, size and bytes', async () => {
    const entry = await source('ok.ts', 'export function add(a: i32, b: i32): i32 { return a + b; }\n');
    const result = await compileAssemblyScript({ entry, outFile: path.join(work, 'ok.wasm'), abort: null, runtime: 'stub' });
    expect(result.bytes).toBe(result.wasm.byteLength);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(result.wasm), {});
    expect((instance.exports.add as (a: number, b: number) => number)(2, 3)).toBe(5);
  }, 120_000);
});

describe('import check', () => {
  it('fails a module that imports env.abort, naming the import and the module', async () => {
    const entry = await source('aborts.ts', [
      'export function proxy_abi_version_0_2_0(): void {}',
      'export function malloc(size: usize): usize { return heap.alloc(size); }',
      'export function proxy_on_tick(id: u32): void { assert(id != 7, "seven"); }',
      '',
    ].join('\n'));
    // Built without --use abort=…, AssemblyScript imports env.abort, which Envoy does not offer.
    const result = await compileAssemblyScript({ entry, outFile: path.join(work, 'aborts.wasm'), abort: null, runtime: 'stub', optimize: false });
    let error: unknown = null;
    try {
      assertLoadable(result.wasm, 'aborts.wasm');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ImportCheckError);
    expect((error as Error).message).toContain('aborts.wasm');
    expect((error as Error).message).toContain('missing import: env.abort');
  }, 120_000);

  const emptyWasm = path.join(repoRoot, 'dist', 'filters', 'empty.wasm');
  it.skipIf(!existsSync(emptyWasm))('accepts the empty filter built on the SDK (needs npm run build)', () => {
    expect(() => assertLoadable(new Uint8Array(readFileSync(emptyWasm)), 'empty.wasm')).not.toThrow();
  });
});

describe('parseDiagnostics', () => {
  it('keeps warnings apart from errors and library paths as they are', () => {
    const text = [
      'WARNING AS201: Conversion from type \'f64\' to \'i32\' will require an explicit cast.',
      '', '   x = y;', '       ~', ' in filters/a/index.ts(3,8)', '',
      'ERROR TS2322: Type \'i32\' is not assignable to type \'~lib/string/String\'.',
      '', ' in ~lib/array.ts(10,2)', '',
    ].join('\n');
    const d = parseDiagnostics(text, repoRoot);
    expect(d).toEqual([
      { category: 'WARNING', code: 'AS201', message: "Conversion from type 'f64' to 'i32' will require an explicit cast.", file: 'filters/a/index.ts', line: 3, column: 8 },
      { category: 'ERROR', code: 'TS2322', message: "Type 'i32' is not assignable to type '~lib/string/String'.", file: '~lib/array.ts', line: 10, column: 2 },
    ]);
  });
});
