/**
 * One VM per vm key, as cpp-host/Envoy share them (reference §1.2): plugins with the same vm_id, code and VM
 * configuration get their own root context in one worker VM, so module globals are shared; a trap fails the VM for
 * every plugin on it, each then applying its own failure policy; FAIL_RELOAD plugins move to one fresh VM.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../harness/build/asc.ts';
import { ManualClock } from '../../../harness/host/clock.ts';
import { WasmHost } from '../../../harness/host/host.ts';
import type { FailurePolicy, Plugin } from '../../../harness/host/plugin.ts';
import { TestStream } from '../../../harness/testing/index.ts';
import { plugin, wat } from './helpers/wat.ts';

const IMPORTS = `(import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_property" (func $prop (param i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_send_local_response" (func $reply (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))`;

/**
 * Counts requests in a module global and answers each with status 200 + count; traps on a request with three
 * headers; logs "init" from _initialize and, in a root's on_context_create, its plugin_name and plugin_root_id.
 */
const COUNTER = plugin(`
  (data (i32.const 100) "plugin_root_id") (data (i32.const 120) "plugin_name") (data (i32.const 140) "init")
  (global $count (mut i32) (i32.const 0))
  (func $logProperty (param $path i32) (param $len i32)
    (if (i32.eqz (call $prop (local.get $path) (local.get $len) (i32.const 200) (i32.const 204)))
      (then (drop (call $log (i32.const 2) (i32.load (i32.const 200)) (i32.load (i32.const 204)))))))
  (func (export "_initialize") (drop (call $log (i32.const 2) (i32.const 140) (i32.const 4))))
  (func (export "proxy_on_context_create") (param $id i32) (param $parent i32)
    (if (i32.eqz (local.get $parent))
      (then (call $logProperty (i32.const 120) (i32.const 11)) (call $logProperty (i32.const 100) (i32.const 14)))))
  (func (export "proxy_on_request_headers") (param i32) (param $n i32) (param i32) (result i32)
    (if (i32.eq (local.get $n) (i32.const 3)) (then unreachable))
    (global.set $count (i32.add (global.get $count) (i32.const 1)))
    (drop (call $reply (i32.add (i32.const 200) (global.get $count)) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
      (i32.const 0) (i32.const 0) (i32.const -1)))
    (i32.const 1))`, { imports: IMPORTS });

interface Pair { host: WasmHost; clock: ManualClock; a: Plugin; b: Plugin }

async function twoPlugins(vmIdB: string, policies: [FailurePolicy, FailurePolicy] = ['FAIL_CLOSED', 'FAIL_CLOSED']): Promise<Pair> {
  const clock = new ManualClock();
  const host = new WasmHost({ clock, logLevel: 'trace' });
  const wasm = await wat(COUNTER);
  const a = await host.loadPlugin({ name: 'a', rootId: 'root-a', vmId: 'shared', wasm, failurePolicy: policies[0] });
  const b = await host.loadPlugin({ name: 'b', rootId: 'root-b', vmId: vmIdB, wasm, failurePolicy: policies[1] });
  return { host, clock, a, b };
}

let seq = 0;
/** Status the client got for one request through `p` (null = no local reply, the request went upstream). */
function request(host: WasmHost, p: Plugin, headers: Record<string, string> = { ':path': '/' }): number | null {
  const s = new TestStream(host, p, {}, ++seq);
  s.sendRequestHeaders(headers, { endStream: true });
  const status = s.localResponse?.status ?? null;
  s.complete();
  return status;
}

const TRAP = { ':path': '/', ':method': 'GET', 'x-trap': '1' };

describe('VM sharing by vm_id', () => {
  it('shares module globals between plugins with the same vm_id and code', async () => {
    const { host, a, b } = await twoPlugins('shared');
    expect([request(host, a), request(host, b), request(host, a)]).toEqual([201, 202, 203]);
    expect(a.workerVm).toBe(b.workerVm);
  });

  it('keeps module globals apart for different vm_ids', async () => {
    const { host, a, b } = await twoPlugins('other');
    expect([request(host, a), request(host, b), request(host, a)]).toEqual([201, 201, 202]);
    expect(a.workerVm).not.toBe(b.workerVm);
  });

  it('does not share a VM between plugins whose VM configuration differs', async () => {
    const host = new WasmHost({ clock: new ManualClock() });
    const wasm = await wat(COUNTER);
    const a = await host.loadPlugin({ name: 'a', rootId: 'a', vmId: 'shared', wasm, vmConfiguration: 'one' });
    const b = await host.loadPlugin({ name: 'b', rootId: 'b', vmId: 'shared', wasm, vmConfiguration: 'two' });
    expect([request(host, a), request(host, b)]).toEqual([201, 201]);
  });

  it('gives each plugin its own root context with the next id of the shared VM', async () => {
    const { a, b } = await twoPlugins('shared');
    expect([a.rootContextId, b.rootContextId]).toEqual([1, 2]);
  });

  it("answers plugin_name and plugin_root_id per root, during that root's on_context_create", async () => {
    const { host } = await twoPlugins('shared');
    const lines = host.logs.filter((l) => !l.host && l.message !== 'init').map((l) => `${l.plugin}: ${l.message}`);
    // canary a, worker a, canary b, worker b
    expect(lines).toEqual(['a: a', 'a: root-a', 'a: a', 'a: root-a', 'b: b', 'b: root-b', 'b: b', 'b: root-b']);
  });

  it('keeps each root of an SDK-built filter on its own configuration in a shared VM (dist/filters/fault.wasm)', async () => {
    const host = new WasmHost({ clock: new ManualClock() });
    const wasm = new Uint8Array(readFileSync(path.join(repoRoot, 'dist', 'filters', 'fault.wasm')));
    const abort = (httpStatus: number): string => JSON.stringify({ abort: { httpStatus, percentage: 100 } });
    const teapot = await host.loadPlugin({ name: 'teapot', rootId: 'fault', vmId: 'faults', wasm, configuration: abort(418) });
    const limited = await host.loadPlugin({ name: 'limited', rootId: 'fault', vmId: 'faults', wasm, configuration: abort(429) });
    const get = { ':method': 'GET', ':path': '/', ':authority': 'svc' };
    expect([request(host, teapot, get), request(host, limited, get), request(host, teapot, get)]).toEqual([418, 429, 418]);
    expect(teapot.workerVm).toBe(limited.workerVm);
  });

  it('runs the start functions in the base VM once per vm key, then in each canary and worker VM', async () => {
    const inits = (host: WasmHost): number => host.logs.filter((l) => l.message === 'init').length;
    // shared: base + canary a + worker + canary b; separate: (base + canary + worker) × 2
    expect(inits((await twoPlugins('shared')).host)).toBe(4);
    expect(inits((await twoPlugins('other')).host)).toBe(6);
  });
});

describe('failure of a shared VM', () => {
  it('fails every plugin on the VM; each applies its own failure policy', async () => {
    const { host, a, b } = await twoPlugins('shared', ['FAIL_CLOSED', 'FAIL_OPEN']);
    expect(request(host, a, TRAP)).toBe(503);
    expect([a.failed, b.failed]).toEqual([true, true]);
    expect(request(host, a)).toBe(503);
    expect(b.createFilter()).toBeNull();
  });

  it('moves FAIL_RELOAD plugins of the failed VM into one fresh VM, counters restarting', async () => {
    const { host, clock, a, b } = await twoPlugins('shared', ['FAIL_RELOAD', 'FAIL_RELOAD']);
    expect(request(host, a)).toBe(201);
    expect(request(host, b, TRAP)).toBe(503);
    clock.advance(1000);
    expect([request(host, b), request(host, a)]).toEqual([201, 202]);
    expect(a.workerVm).toBe(b.workerVm);
    expect([b.rootContextId, a.rootContextId]).toEqual([1, 3]);
    expect(host.metrics.get('wasm.a.vm_reload_success')?.value).toBe(1);
    expect(host.metrics.get('wasm.b.vm_reload_success')?.value).toBe(1);
  });

  it('leaves a FAIL_CLOSED plugin on the failed VM when another plugin reloads', async () => {
    const { host, clock, a, b } = await twoPlugins('shared', ['FAIL_RELOAD', 'FAIL_CLOSED']);
    expect(request(host, a, TRAP)).toBe(503);
    clock.advance(1000);
    expect([request(host, a), request(host, b)]).toEqual([201, 503]);
    expect(a.workerVm).not.toBe(b.workerVm);
  });
});
