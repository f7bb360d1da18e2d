import { describe, expect, it } from 'vitest';
import { PluginLoadError } from '../../../harness/errors.ts';
import { ManualClock } from '../../../harness/host/clock.ts';
import { FilterManager } from '../../../harness/host/filter-manager.ts';
import { HeaderMap } from '../../../harness/host/header-map.ts';
import { WasmHost } from '../../../harness/host/host.ts';
import { createTestHost } from '../../../harness/testing/index.ts';
import { plugin, wat } from './helpers/wat.ts';

const LOG = '(import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))';

/** A module that logs each hook it receives as "<hook> <ctx>" using data strings. */
function tracer(extra = '', extraImports = ''): string {
  const hooks = ['proxy_on_context_create', 'proxy_on_request_headers', 'proxy_on_request_body', 'proxy_on_response_headers',
    'proxy_on_response_body', 'proxy_on_log', 'proxy_on_done', 'proxy_on_delete'];
  let data = '';
  let fns = '';
  let off = 1024;
  for (const h of hooks) {
    const name = h.replace('proxy_on_', '');
    data += `(data (i32.const ${off}) "${name}")`;
    const params = h === 'proxy_on_context_create' ? '(param i32 i32)' : h.includes('headers') || h.includes('body') ? '(param i32 i32 i32)' : '(param i32)';
    const result = h.includes('headers') || h.includes('body') || h === 'proxy_on_done' ? '(result i32)' : '';
    const ret = result ? '(i32.const 0)' : '';
    if (!extra.includes(`"${h}"`)) fns += `(func (export "${h}") ${params} ${result} (drop (call $log (i32.const 2) (i32.const ${off}) (i32.const ${name.length}))) ${ret})\n`;
    off += 32;
  }
  return plugin(`${data}\n${fns}\n${extra}`, { imports: `${LOG}\n${extraImports}` });
}

describe('plugin start-up', () => {
  it('creates the root context then on_vm_start and on_configure, canary first', async () => {
    const env = await createTestHost({ wasm: await wat(tracer()), name: 'p' });
    expect(env.logs()).toEqual(['context_create', 'context_create']);
    expect(env.plugin.rootContextId).toBe(1);
    env.dispose();
  });

  it('runs _initialize then main(0,0) and nothing else, in the base VM and again in the worker VM', async () => {
    const body = `(data (i32.const 100) "init") (data (i32.const 110) "main") (data (i32.const 120) "start")
      (func (export "_initialize") (drop (call $log (i32.const 2) (i32.const 100) (i32.const 4))))
      (func (export "main") (param i32 i32) (result i32) (drop (call $log (i32.const 2) (i32.const 110) (i32.const 4))) (i32.const 0))
      (func (export "_start") (drop (call $log (i32.const 2) (i32.const 120) (i32.const 5))))`;
    const env = await createTestHost({ wasm: await wat(plugin(body, { imports: LOG })), canary: false });
    expect(env.logs()).toEqual(['init', 'main', 'init', 'main']);
  });

  it('runs _start when there is no _initialize (base VM, then worker VM)', async () => {
    const body = `(data (i32.const 120) "start") (func (export "_start") (drop (call $log (i32.const 2) (i32.const 120) (i32.const 5))))`;
    const env = await createTestHost({ wasm: await wat(plugin(body, { imports: LOG })), canary: false });
    expect(env.logs()).toEqual(['start', 'start']);
  });

  it('refuses a hostcall outside the start-time set during _initialize', async () => {
    const imports = `(import "env" "proxy_set_tick_period_milliseconds" (func $tick (param i32) (result i32)))`;
    const body = `(func (export "_initialize") (drop (call $tick (i32.const 10))))`;
    const err = await createTestHost({ wasm: await wat(plugin(body, { imports })), name: 'r' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PluginLoadError);
    expect((err as Error).message).toMatch(/restricted_callback: env\.proxy_set_tick_period_milliseconds/);
  });

  it('rejects the configuration when on_configure returns false, keeping the plugin logs', async () => {
    const body = `(data (i32.const 100) "bad config") (func (export "proxy_on_context_create") (param i32 i32))
      (func $configure (export "proxy_on_configure_x") (param i32 i32) (result i32) (i32.const 0))`;
    const text = plugin(body, { imports: LOG }).replace('(func (export "proxy_on_configure") (param i32 i32) (result i32) (i32.const 1))',
      '(func (export "proxy_on_configure") (param i32 i32) (result i32) (drop (call $log (i32.const 5) (i32.const 100) (i32.const 10))) (i32.const 0))');
    const err = await createTestHost({ wasm: await wat(text), name: 'cfg' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PluginLoadError);
    expect((err as Error).message).toBe('Unable to create Wasm HTTP filter cfg: Failed to configure base Wasm plugin');
    expect((err as { logs: (l: string) => string[] }).logs('critical')).toEqual(['bad config']);
  });

  it('rejects a module that imports env.abort with the Envoy message', async () => {
    const host = new WasmHost({ clock: new ManualClock() });
    const bytes = await wat(plugin('', { imports: '(import "env" "abort" (func (param i32 i32 i32 i32)))' }));
    await expect(host.loadPlugin({ name: 'a', rootId: 'a', vmId: 'a', wasm: bytes })).rejects.toThrow(
      'Unable to create Wasm HTTP filter a: Failed to load Wasm module due to a missing import: env.abort');
  });

  it('refuses ABI 0.1.0 modules with a clear message', async () => {
    const host = new WasmHost();
    const bytes = await wat(plugin('', { abi: 'proxy_abi_version_0_1_0' }));
    await expect(host.loadPlugin({ name: 'old', rootId: 'old', vmId: 'old', wasm: bytes })).rejects.toThrow(/ABI 0\.1\.0 is not supported/);
  });
});

describe('stream lifecycle', () => {
  it('creates the stream context lazily and tears down on_log → on_done → on_delete', async () => {
    const env = await createTestHost({ wasm: await wat(tracer()), canary: false });
    const s = env.openStream();
    expect(env.logs()).toEqual(['context_create']);
    s.sendRequestHeaders({ ':method': 'GET', ':path': '/', ':authority': 'x' }, { endStream: true });
    s.sendResponseHeaders({ ':status': '200' }, { endStream: false });
    s.sendResponseBody('hi', { endStream: true });
    s.complete();
    expect(env.logs()).toEqual(['context_create', 'context_create', 'request_headers', 'response_headers', 'response_body', 'log', 'done', 'delete']);
    expect(s.contextId).toBe(2);
    expect(s.downstreamResponse.headers).toEqual({ ':status': '200' });
  });

  it('converts StopIteration from request headers to StopAllIterationAndWatermark unless allowed', async () => {
    const stop = `(func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) (i32.const 1))`;
    const env = await createTestHost({ wasm: await wat(tracer(stop)) });
    const s = env.openStream();
    expect(s.sendRequestHeaders({ ':path': '/' })).toBe(4);
    s.sendRequestBody('abc', { endStream: true });
    expect(env.logs()).not.toContain('request_body');
    expect(s.paused).toBe('request');
    const env2 = await createTestHost({ wasm: await wat(tracer(stop)), allowOnHeadersStopIteration: true });
    const s2 = env2.openStream();
    expect(s2.sendRequestHeaders({ ':path': '/' })).toBe(1);
    s2.sendRequestBody('abc', { endStream: true });
    expect(env2.logs()).toContain('request_body');
  });
});

describe('traps and failure policy', () => {
  const trap = `(func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) unreachable)`;

  it('answers 503 wasm_fail_stream (fail closed) and keeps refusing without entering the VM', async () => {
    const env = await createTestHost({ wasm: await wat(tracer(trap)), name: 'boom' });
    const s = env.openStream();
    s.sendRequestHeaders({ ':path': '/' }, { endStream: true });
    expect(s.localResponse).toMatchObject({ status: 503, body: '', details: 'wasm_fail_stream' });
    expect(s.upstreamRequest).toBeNull();
    expect(env.host.logs.some((l) => l.host && l.message === 'Function: proxy_on_request_headers failed: Uncaught RuntimeError: unreachable')).toBe(true);
    s.complete();
    expect(env.logs()).not.toContain('log');
    const again = env.openStream();
    again.sendRequestHeaders({ ':path': '/' }, { endStream: true });
    expect(again.localResponse?.status).toBe(503);
    expect(env.plugin.failed).toBe(true);
  });

  it('lets requests through with FAIL_OPEN and skips the filter afterwards', async () => {
    const env = await createTestHost({ wasm: await wat(tracer(trap)), failurePolicy: 'FAIL_OPEN' });
    const s = env.openStream();
    s.sendRequestHeaders({ ':path': '/' }, { endStream: true });
    expect(s.localResponse).toBeNull();
    expect(s.upstreamRequest?.headers[':path']).toBe('/');
    const later = env.openStream();
    expect(later.filter).toBeNull();
    later.sendRequestHeaders({ ':path': '/b' }, { endStream: true });
    expect(later.upstreamRequest?.headers[':path']).toBe('/b');
  });

  it('reloads a fresh VM after the backoff with FAIL_RELOAD', async () => {
    const env = await createTestHost({ wasm: await wat(tracer(trap)), failurePolicy: 'FAIL_RELOAD', canary: false });
    env.openStream().sendRequestHeaders({ ':path': '/' }, { endStream: true });
    const early = env.openStream();
    early.sendRequestHeaders({ ':path': '/' }, { endStream: true });
    expect(early.localResponse?.details).toBe('wasm_fail_stream');
    env.clock.advance(1000);
    const reloaded = env.openStream();
    expect(env.plugin.failed).toBe(false);
    expect(env.plugin.rootContextId).toBe(1);
    expect(env.counter('wasm.test.vm_reload_success')).toBe(1);
    reloaded.sendRequestHeaders({ ':path': '/' }, { endStream: true });
    expect(reloaded.localResponse?.status).toBe(503);
  });
});

describe('harness misuse', () => {
  it('throws, naming the callback, when the harness enters the VM with an unknown context id', async () => {
    const env = await createTestHost({ wasm: await wat(tracer()), canary: false });
    expect(() => env.plugin.workerVm.callHook('proxy_on_log', 99)).toThrow(/^proxy_on_log: context id 99 does not exist/);
  });
});

describe('two plugins in one filter chain', () => {
  it('skips the later plugin after a local reply but still creates, logs and destroys its context', async () => {
    const host = new WasmHost({ clock: new ManualClock(), logLevel: 'trace' });
    const replyImports = `${LOG}\n(import "env" "proxy_send_local_response" (func $reply (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))`;
    const replier = plugin(`(func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
      (drop (call $reply (i32.const 401) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const -1))) (i32.const 0))`, { imports: replyImports });
    const first = await host.loadPlugin({ name: 'first', rootId: 'first', vmId: 'a', wasm: await wat(replier), canary: false });
    const second = await host.loadPlugin({ name: 'second', rootId: 'second', vmId: 'b', wasm: await wat(tracer()), canary: false });
    const seen: string[] = [];
    const manager = new FilterManager({
      filters: [first.createFilter()!, second.createFilter()!],
      streamInfo: {},
      terminal: { decodeHeaders: () => seen.push('router'), decodeData: () => {}, decodeTrailers: () => {} },
      onReply: { headers: (h) => seen.push(`client ${h.get(':status')}`), data: () => {}, trailers: () => {}, reset: () => {} },
    });
    manager.decodeHeaders(new HeaderMap({ ':path': '/' }), true);
    manager.complete();
    expect(seen).toEqual(['client 401']);
    const secondLines = host.logs.filter((l) => l.plugin === 'second' && !l.host).map((l) => l.message);
    expect(secondLines).toEqual(['context_create', 'context_create', 'log', 'done', 'delete']);
  });
});
