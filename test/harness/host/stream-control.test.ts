import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../harness/host/clock.ts';
import { WasmHost } from '../../../harness/host/host.ts';
import { createTestHost } from '../../../harness/testing/index.ts';
import { plugin, wat } from './helpers/wat.ts';

describe('stream control', () => {
  it('resets the stream with details wasm_close_stream on proxy_close_stream(HTTP_REQUEST)', async () => {
    const imports = '(import "env" "proxy_close_stream" (func $close (param i32) (result i32)))';
    const body = `(func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) (drop (call $close (i32.const 0))) (i32.const 0))`;
    const env = await createTestHost({ wasm: await wat(plugin(body, { imports })) });
    const s = env.openStream();
    s.sendRequestHeaders({ ':path': '/' }, { endStream: true });
    expect(s.downstreamResponse.reset).toBe('wasm_close_stream');
    expect(s.upstreamRequest).toBeNull();
  });

  it('resumes a stopped response from a tick via the effective context and proxy_continue_stream(HTTP_RESPONSE)', async () => {
    const imports = `(import "env" "proxy_set_tick_period_milliseconds" (func $tick (param i32) (result i32)))
      (import "env" "proxy_set_effective_context" (func $eff (param i32) (result i32)))
      (import "env" "proxy_continue_stream" (func $cont (param i32) (result i32)))`;
    const body = `(global $stream (mut i32) (i32.const 0))
      (func (export "proxy_on_response_headers") (param $c i32) (param i32 i32) (result i32)
        (global.set $stream (local.get $c)) (drop (call $tick (i32.const 50))) (i32.const 1))
      (func (export "proxy_on_tick") (param i32)
        (drop (call $tick (i32.const 0))) (drop (call $eff (global.get $stream))) (drop (call $cont (i32.const 1))))`;
    const env = await createTestHost({ wasm: await wat(plugin(body, { imports })) });
    const s = env.openStream();
    s.sendRequestHeaders({ ':path': '/' }, { endStream: true });
    expect(s.sendResponseHeaders({ ':status': '200' }, { endStream: false })).toBe(4);
    s.sendResponseBody('abc', { endStream: true });
    expect(s.paused).toBe('response');
    env.clock.advance(50);
    expect(s.downstreamResponse.headers).toEqual({ ':status': '200' });
    expect(new TextDecoder().decode(s.downstreamResponse.body)).toBe('abc');
    expect(s.downstreamResponse.endStream).toBe(true);
  });

  it('resets (cannot reply) when the VM traps after response headers were sent', async () => {
    const body = `(func (export "proxy_on_response_body") (param i32 i32 i32) (result i32) unreachable)`;
    const env = await createTestHost({ wasm: await wat(plugin(body)) });
    const s = env.openStream();
    s.sendRequestHeaders({ ':path': '/' }, { endStream: true });
    s.sendResponseHeaders({ ':status': '200' }, { endStream: false });
    s.sendResponseBody('x', { endStream: true });
    expect(s.downstreamResponse.headers).toEqual({ ':status': '200' });
    expect(s.downstreamResponse.reset).toBe('wasm_fail_stream');
  });

  it('answers a trap while encoding, before headers went out, with a direct 503', async () => {
    const body = `(func (export "proxy_on_response_headers") (param i32 i32 i32) (result i32) unreachable)`;
    const env = await createTestHost({ wasm: await wat(plugin(body)) });
    const s = env.openStream();
    s.sendRequestHeaders({ ':path': '/' }, { endStream: true });
    s.sendResponseHeaders({ ':status': '200' }, { endStream: true });
    expect(s.downstreamResponse.headers).toEqual({ ':status': '503' });
    expect(s.localResponse?.details).toBe('wasm_fail_stream');
  });
});

describe('shared data', () => {
  const imports = `(import "env" "proxy_set_shared_data" (func $set (param i32 i32 i32 i32 i32) (result i32)))
    (import "env" "proxy_get_shared_data" (func $get (param i32 i32 i32 i32 i32) (result i32)))`;
  const writer = plugin(`(data (i32.const 100) "k") (data (i32.const 110) "v")
    (func (export "proxy_on_context_create") (param i32 i32) (drop (call $set (i32.const 100) (i32.const 1) (i32.const 110) (i32.const 1) (i32.const 0))))`, { imports });
  const reader = plugin(`(data (i32.const 100) "k") (global $s (mut i32) (i32.const -1))
    (func (export "proxy_on_context_create") (param i32 i32) (global.set $s (call $get (i32.const 100) (i32.const 1) (i32.const 200) (i32.const 204) (i32.const 208))))
    (func (export "status") (result i32) (global.get $s))`, { imports });

  it('is shared by plugins with the same vm_id and invisible to other vm_ids', async () => {
    const host = new WasmHost({ clock: new ManualClock() });
    await host.loadPlugin({ name: 'w', rootId: 'w', vmId: 'shared', wasm: await wat(writer) });
    const same = await host.loadPlugin({ name: 'r1', rootId: 'r1', vmId: 'shared', wasm: await wat(reader) });
    const other = await host.loadPlugin({ name: 'r2', rootId: 'r2', vmId: 'other', wasm: await wat(reader) });
    expect(same.workerVm.callHook('status', same.rootContextId)).toBe(0);
    expect(other.workerVm.callHook('status', other.rootContextId)).toBe(1);
  });
});
