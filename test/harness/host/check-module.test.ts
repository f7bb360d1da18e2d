import { describe, expect, it } from 'vitest';
import { checkModule } from '../../../harness/host/abi/offered.ts';
import { plugin, wat } from './helpers/wat.ts';

describe('checkModule', () => {
  it('accepts a module that only imports offered hostcalls with their exact signatures', async () => {
    const bytes = await wat(plugin('', { imports: '(import "env" "proxy_log" (func (param i32 i32 i32) (result i32)))' }));
    const r = checkModule(bytes);
    expect(r.abi).toBe('0.2.0');
    expect(r.problems).toEqual([]);
    expect(r.imports[0]).toMatchObject({ module: 'env', name: 'proxy_log', signature: '(i32, i32, i32) -> (i32)' });
  });

  it('names a missing import the way Envoy does (env.abort)', async () => {
    const bytes = await wat(plugin('', { imports: '(import "env" "abort" (func (param i32 i32 i32 i32)))' }));
    expect(checkModule(bytes).problems).toEqual(['Failed to load Wasm module due to a missing import: env.abort']);
  });

  it("words an import type mismatch as Envoy's V8 runtime: the module's type wanted, the host's exported", async () => {
    const bytes = await wat(plugin('', { imports: '(import "env" "proxy_grpc_call" (func (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))' }));
    expect(checkModule(bytes).problems).toEqual([
      'Failed to load Wasm module due to an import type mismatch: env.proxy_grpc_call, want: i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 -> i32, '
        + 'but host exports: i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 -> i32',
    ]);
  });

  it('prints void for a side with no types and i64 for 64-bit values', async () => {
    const bytes = await wat(plugin('', { imports: '(import "wasi_unstable" "proc_exit" (func (param i64)))' }));
    expect(checkModule(bytes).problems).toEqual(['Failed to load Wasm module due to an import type mismatch: wasi_unstable.proc_exit, want: i64 -> void, but host exports: i32 -> void']);
  });

  it('refuses proxy_clear_route_cache on ABI 0.2.0 but offers proxy_get_log_level only on 0.2.1', async () => {
    const crc = await wat(plugin('', { imports: '(import "env" "proxy_clear_route_cache" (func (result i32)))' }));
    expect(checkModule(crc).problems).toEqual(['Failed to load Wasm module due to a missing import: env.proxy_clear_route_cache']);
    const lvl = '(import "env" "proxy_get_log_level" (func (param i32) (result i32)))';
    expect(checkModule(await wat(plugin('', { imports: lvl }))).problems).toHaveLength(1);
    expect(checkModule(await wat(plugin('', { imports: lvl, abi: 'proxy_abi_version_0_2_1' }))).problems).toEqual([]);
  });

  it('reports a missing ABI marker', async () => {
    expect(checkModule(await wat(plugin('', { abi: '' }))).problems).toEqual(['Missing or unknown Proxy-Wasm ABI version']);
  });

  it('takes the first ABI marker in export order', async () => {
    const bytes = await wat(plugin('(func (export "proxy_abi_version_0_2_0"))', { abi: 'proxy_abi_version_0_2_1' }));
    expect(checkModule(bytes).abi).toBe('0.2.1');
  });

  it('reports a module without malloc or proxy_on_memory_allocate', async () => {
    expect(checkModule(await wat(plugin('', { malloc: false }))).problems).toEqual(['Wasm module is missing malloc function.']);
    const alt = await wat(plugin('(func (export "proxy_on_memory_allocate") (param i32) (result i32) (i32.const 1024))', { malloc: false }));
    expect(checkModule(alt).problems).toEqual([]);
  });

  it('detects ABI 0.1.0 and notes that the emulator does not run it', async () => {
    const r = checkModule(await wat(plugin('', { abi: 'proxy_abi_version_0_1_0' })));
    expect(r.abi).toBe('0.1.0');
    expect(r.notes[0]).toMatch(/not run by this emulator/);
  });

  it('refuses a callback export with the wrong signature (ABI 0.1.0-style request headers)', async () => {
    const bytes = await wat(plugin('(func (export "proxy_on_request_headers") (param i32 i32) (result i32) (i32.const 0))'));
    expect(checkModule(bytes).problems).toEqual(['Bad function signature for: proxy_on_request_headers, want: i32 i32 i32 -> i32, but the module exports: i32 i32 -> i32']);
  });

  it('offers WASI under both module names', async () => {
    const imports = '(import "wasi_unstable" "proc_exit" (func (param i32))) (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))';
    expect(checkModule(await wat(plugin('', { imports }))).problems).toEqual([]);
  });
});
