/**
 * Which export the host allocates returned data with (cpp-host `WasmBase::getFunctions`: `malloc`, else
 * `proxy_on_memory_allocate`, else the VM fails with "Wasm module is missing malloc function."), proved with
 * modules whose allocators hand out different regions.
 */
import { describe, expect, it } from 'vitest';
import { createTestHost } from '../../../harness/testing/index.ts';
import { buildShape, type Allocator } from './helpers/shape.ts';
import { fields, linesStartingWith } from './helpers/logs.ts';
import { compileWat } from './helpers/wat.ts';

const SOURCES = [
  'proxy-wasm/proxy-wasm-cpp-host src/wasm.cc getFunctions(): _GET(malloc); if (!malloc_) _GET_ALIAS(malloc, proxy_on_memory_allocate);',
  '  if (!malloc_) fail(FailState::MissingFunction, "Wasm module is missing malloc function.")',
  'proxy-wasm/proxy-wasm-cpp-host include/proxy-wasm/wasm.h copyToPointerSize(): allocMemory(size) then pointer/size words',
  'tinygo-org/tinygo src/runtime/arch_tinygowasm_malloc.go + tetratelabs/proxy-wasm-go-sdk abi_callback_alloc.go: both exports',
];

function allocatorModule(allocators: Allocator[]): string {
  return buildShape({ sdk: 'alloc', sources: SOURCES, abi: 'proxy_abi_version_0_2_0', allocators, startFunctions: [] });
}

async function configureReport(allocators: Allocator[]): Promise<Record<string, string>> {
  const env = await createTestHost({ wasm: await compileWat(allocatorModule(allocators)), configuration: 'abc', canary: false });
  return fields(linesStartingWith(env.logEntries(), 'alloc: configure')[0] ?? '');
}

describe('guest allocator', () => {
  it('prefers malloc when a module exports both allocators (TinyGo shape), whatever the export order', async () => {
    for (const order of [['malloc', 'proxy_on_memory_allocate'], ['proxy_on_memory_allocate', 'malloc']] as Allocator[][]) {
      // malloc hands out 0x20000…, proxy_on_memory_allocate 0x30000…
      expect(await configureReport(order)).toEqual({ status: '0', allocator: 'malloc', ptr: String(0x20000), len: '3' });
    }
  });

  it('uses proxy_on_memory_allocate when malloc is absent (Go and Rust wasip1 shape)', async () => {
    expect(await configureReport(['proxy_on_memory_allocate'])).toEqual({ status: '0', allocator: 'proxy_on_memory_allocate', ptr: String(0x20000), len: '3' });
  });

  it('refuses a module with neither allocator', async () => {
    await expect(createTestHost({ wasm: await compileWat(allocatorModule([])) })).rejects.toThrow('Wasm module is missing malloc function.');
  });

  it('does not allocate for an empty configuration (pointer 0, size 0)', async () => {
    const env = await createTestHost({ wasm: await compileWat(allocatorModule(['malloc'])), canary: false });
    expect(fields(linesStartingWith(env.logEntries(), 'alloc: configure')[0] ?? '')).toEqual({ status: '0', allocator: 'none', ptr: '0', len: '0' });
  });
});
