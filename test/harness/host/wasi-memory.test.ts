import { describe, expect, it } from 'vitest';
import { createTestHost } from '../../../harness/testing/index.ts';
import { plugin, wat } from './helpers/wat.ts';

const FD_WRITE = '(import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))';

describe('WASI and guest memory', () => {
  it('logs fd_write to stdout at info and stderr at error, dropping one trailing newline; other fds get BADF', async () => {
    // iovec at 200: {ptr 100, len 6} → "hello\n"
    const body = `(data (i32.const 100) "hello\\n") (data (i32.const 200) "\\64\\00\\00\\00\\06\\00\\00\\00")
      (global $r (mut i32) (i32.const 0))
      (func (export "proxy_on_context_create") (param i32 i32)
        (drop (call $fd_write (i32.const 1) (i32.const 200) (i32.const 1) (i32.const 300)))
        (drop (call $fd_write (i32.const 2) (i32.const 200) (i32.const 1) (i32.const 300)))
        (global.set $r (call $fd_write (i32.const 5) (i32.const 200) (i32.const 1) (i32.const 300))))
      (func (export "badf") (result i32) (global.get $r))`;
    const env = await createTestHost({ wasm: await wat(plugin(body, { imports: FD_WRITE })), canary: false });
    expect(env.host.logs.filter((l) => !l.host).map((l) => [l.level, l.message])).toEqual([['info', 'hello'], ['error', 'hello']]);
    expect(env.plugin.workerVm.callHook('badf', 1)).toBe(8);
  });

  it('allocates results through proxy_on_memory_allocate when malloc is absent', async () => {
    const imports = '(import "env" "proxy_get_property" (func $get (param i32 i32 i32 i32) (result i32)))';
    const body = `(data (i32.const 100) "plugin_name")
      (func (export "proxy_on_memory_allocate") (param i32) (result i32) (i32.const 4096))
      (func (export "proxy_on_context_create") (param i32 i32) (drop (call $get (i32.const 100) (i32.const 11) (i32.const 300) (i32.const 304))))
      (func (export "where") (result i32) (i32.load (i32.const 300)))
      (func (export "len") (result i32) (i32.load (i32.const 304)))`;
    const env = await createTestHost({ wasm: await wat(plugin(body, { imports, malloc: false })), name: 'named', canary: false });
    expect(env.plugin.workerVm.callHook('where', 1)).toBe(4096);
    expect(env.plugin.workerVm.callHook('len', 1)).toBe(5);
  });

  it('traps when malloc calls a hostcall outside the malloc-time set', async () => {
    const imports = `(import "env" "proxy_get_property" (func $get (param i32 i32 i32 i32) (result i32)))
      (import "env" "proxy_set_tick_period_milliseconds" (func $tick (param i32) (result i32)))`;
    const body = `(data (i32.const 100) "plugin_name")
      (func (export "malloc") (param i32) (result i32) (drop (call $tick (i32.const 1))) (i32.const 4096))
      (func (export "proxy_on_context_create") (param i32 i32) (drop (call $get (i32.const 100) (i32.const 11) (i32.const 300) (i32.const 304))))`;
    const err = await createTestHost({ wasm: await wat(plugin(body, { imports, malloc: false })), canary: false }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/restricted_callback: env\.proxy_set_tick_period_milliseconds/);
  });

  it('returns InvalidMemoryAccess when the allocator returns 0', async () => {
    const imports = '(import "env" "proxy_get_property" (func $get (param i32 i32 i32 i32) (result i32)))';
    const body = `(data (i32.const 100) "plugin_name") (global $s (mut i32) (i32.const -1))
      (func (export "malloc") (param i32) (result i32) (i32.const 0))
      (func (export "proxy_on_context_create") (param i32 i32) (global.set $s (call $get (i32.const 100) (i32.const 11) (i32.const 300) (i32.const 304))))
      (func (export "status") (result i32) (global.get $s))`;
    const env = await createTestHost({ wasm: await wat(plugin(body, { imports, malloc: false })), name: 'n', canary: false });
    expect(env.plugin.workerVm.callHook('status', 1)).toBe(6);
  });

  it('records a hostcall made from the Wasm start section as a violation', async () => {
    const imports = '(import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))';
    const body = `(global $s (mut i32) (i32.const -1)) (func $init (global.set $s (call $log (i32.const 2) (i32.const 0) (i32.const 1)))) (start $init)
      (func (export "status") (result i32) (global.get $s))`;
    const env = await createTestHost({ wasm: await wat(plugin(body, { imports })), canary: false });
    expect(env.plugin.workerVm.callHook('status', 1)).toBe(6);
    expect(env.violations()[0]?.message).toMatch(/start section/);
  });

  it('counts hostcalls per hook and resets the counts', async () => {
    const imports = '(import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))';
    const body = `(data (i32.const 100) "x")
      (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
        (drop (call $log (i32.const 2) (i32.const 100) (i32.const 1))) (drop (call $log (i32.const 2) (i32.const 100) (i32.const 1))) (i32.const 0))`;
    const env = await createTestHost({ wasm: await wat(plugin(body, { imports })), canary: false });
    env.openStream().sendRequestHeaders({ ':path': '/' }, { endStream: true });
    expect(env.hostcalls()).toEqual({ proxy_log: 2 });
    expect(env.hostcalls('proxy_on_request_headers')).toEqual({ proxy_log: 2 });
    env.resetHostcalls();
    expect(env.hostcalls()).toEqual({});
  });
});
