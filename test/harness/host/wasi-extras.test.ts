/**
 * WASI calls and non-proxy `env` helpers not covered by the compat WASI probe: what cpp-host answers (reference §2.3).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestEnv } from '../../../harness/testing/index.ts';
import { plugin, wat } from './helpers/wat.ts';

const IMPORTS = `(import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (import "wasi_unstable" "sched_yield" (func $yield (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env_sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $env_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random (param i32 i32) (result i32)))
  (import "env" "pthread_equal" (func $pthread_equal (param i32 i32) (result i32)))
  (import "env" "emscripten_notify_memory_growth" (func $grow (param i32)))
  (import "env" "envoy_resolve_dns" (func $dns (param i32 i32 i32) (result i32)))`;

const BODY = `
  (func (export "poll_oneoff") (result i32) (i32.store (i32.const 400) (i32.const 99)) (call $poll (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 400)))
  (func (export "poll_nevents") (result i32) (i32.load (i32.const 400)))
  (func (export "sched_yield") (result i32) (call $yield))
  (func (export "environ_sizes_get") (result i32) (call $env_sizes (i32.const 500) (i32.const 504)))
  (func (export "environ_count") (result i32) (i32.load (i32.const 500)))
  (func (export "environ_size") (result i32) (i32.load (i32.const 504)))
  (func (export "environ_get") (result i32) (call $env_get (i32.const 600) (i32.const 700)))
  (func (export "environ_second") (result i32) (i32.sub (i32.load (i32.const 604)) (i32.const 700)))
  (func (export "environ_first_char") (result i32) (i32.load8_u (i32.const 700)))
  (func (export "clock_time_get realtime") (result i32) (call $clock (i32.const 0) (i64.const 0) (i32.const 800)))
  (func (export "clock_time_get cputime") (result i32) (call $clock (i32.const 2) (i64.const 0) (i32.const 800)))
  (func (export "random_get 16") (result i32) (call $random (i32.const 900) (i32.const 16)))
  (func (export "random_get 65537") (result i32) (call $random (i32.const 900) (i32.const 65537)))
  (func (export "pthread_equal same") (result i32) (call $pthread_equal (i32.const 3) (i32.const 3)))
  (func (export "pthread_equal different") (result i32) (call $pthread_equal (i32.const 3) (i32.const 4)))
  (func (export "emscripten_notify_memory_growth") (result i32) (call $grow (i32.const 0)) (i32.const 1))
  (func (export "envoy_resolve_dns") (result i32) (call $dns (i32.const 0) (i32.const 0) (i32.const 0)))`;

describe('WASI extras and env helpers', () => {
  let env: TestEnv;
  const call = (name: string): number | undefined => env.plugin.workerVm.callHook(name, env.plugin.rootContextId);

  beforeAll(async () => {
    env = await createTestHost({ wasm: await wat(plugin(BODY, { imports: IMPORTS })), environment: { A: '1', BB: '22' }, canary: false });
  });

  it('answers poll_oneoff with success and no events', () => {
    expect([call('poll_oneoff'), call('poll_nevents')]).toEqual([0, 0]);
  });

  it('answers sched_yield with success', () => {
    expect(call('sched_yield')).toBe(0);
  });

  it("serves environ from the plugin's environment variables as KEY=VALUE\\0 strings", () => {
    expect([call('environ_sizes_get'), call('environ_count'), call('environ_size')]).toEqual([0, 2, 10]);
    expect([call('environ_get'), call('environ_second'), call('environ_first_char')]).toEqual([0, 4, 'A'.charCodeAt(0)]);
  });

  it('reads clock_time_get realtime and answers NOTSUP (58) for the CPU-time clock', () => {
    expect([call('clock_time_get realtime'), call('clock_time_get cputime')]).toEqual([0, 58]);
  });

  it('fills random_get up to 65536 bytes and answers INVAL (28) above', () => {
    expect([call('random_get 16'), call('random_get 65537')]).toEqual([0, 28]);
  });

  it('compares thread ids with pthread_equal', () => {
    expect([call('pthread_equal same'), call('pthread_equal different')]).toEqual([1, 0]);
  });

  it('accepts emscripten_notify_memory_growth as a no-op', () => {
    expect(call('emscripten_notify_memory_growth')).toBe(1);
    expect(env.plugin.failed).toBe(false);
  });

  it('answers envoy_resolve_dns with InternalFailure and records that DNS is not emulated', () => {
    expect(call('envoy_resolve_dns')).toBe(10);
    expect(env.violations().map((v) => v.hostcall)).toContain('envoy_resolve_dns');
  });
});
