/**
 * Modules shaped like the output of the other proxy-wasm SDKs (Go, TinyGo, Rust, C++/emscripten) load and run in
 * the emulator as in Envoy: start functions in cpp-host's order once per VM, WASI at start-up, the plugin
 * configuration copied into memory from the module's own allocator, and headers added by the filter reaching
 * the upstream and the client.
 */
import { describe, expect, it } from 'vitest';
import { createTestHost } from '../../../harness/testing/index.ts';
import { cppEmscriptenModule } from './fixtures/cpp-emscripten.ts';
import { goWasip1Module } from './fixtures/go-wasip1.ts';
import { rustUnknownModule, rustWasip1Module } from './fixtures/rust.ts';
import { tinygoModule } from './fixtures/tinygo.ts';
import { fields, linesStartingWith, pluginLines } from './helpers/logs.ts';
import { compileWat } from './helpers/wat.ts';

interface Shape {
  sdk: string;
  wat: () => string;
  /** Start functions cpp-host runs, in order (trace letters: I `_initialize`, M `main`, S `_start`). */
  trace: string;
  startFunction: string;
  allocator: 'malloc' | 'proxy_on_memory_allocate';
  /** The start function reports WASI results on stdout. */
  wasi: boolean;
}

const SHAPES: Shape[] = [
  { sdk: 'go', wat: goWasip1Module, trace: 'I', startFunction: '_initialize', allocator: 'proxy_on_memory_allocate', wasi: true },
  { sdk: 'tinygo', wat: tinygoModule, trace: 'S', startFunction: '_start', allocator: 'malloc', wasi: true },
  { sdk: 'rust-wasip1', wat: rustWasip1Module, trace: 'I', startFunction: '_initialize', allocator: 'proxy_on_memory_allocate', wasi: true },
  { sdk: 'rust-unknown', wat: rustUnknownModule, trace: 'I', startFunction: '_initialize', allocator: 'malloc', wasi: false },
  { sdk: 'cpp', wat: cppEmscriptenModule, trace: 'I', startFunction: '_initialize', allocator: 'malloc', wasi: true },
];

const CONFIG = '{"greeting":"hello","limit":3}';
const ENVIRONMENT = { POD_NAME: 'reviews-v1', GREETING: 'hello world' };

async function load(shape: Shape) {
  return createTestHost({ wasm: await compileWat(shape.wat()), name: `${shape.sdk}-plugin`, configuration: CONFIG, environment: ENVIRONMENT });
}

describe.each(SHAPES)('$sdk-shaped module', (shape) => {
  it(`loads and runs ${shape.startFunction} exactly once in each VM (canary and worker) before on_vm_start`, async () => {
    const env = await load(shape);
    const vmStarts = linesStartingWith(env.logEntries(), `${shape.sdk}: vm_start`);
    expect(vmStarts).toEqual([`${shape.sdk}: vm_start starts=1 trace=${shape.trace}`, `${shape.sdk}: vm_start starts=1 trace=${shape.trace}`]);
    if (shape.wasi) {
      const runs = linesStartingWith(env.logEntries(), `${shape.sdk}: ${shape.startFunction} run`);
      expect(new Set(runs)).toEqual(new Set([`${shape.sdk}: ${shape.startFunction} run 1`]));
    }
  });

  it(`reads the plugin configuration through its ${shape.allocator} export`, async () => {
    const env = await load(shape);
    const lines = pluginLines(env.logEntries()).map((l) => l.message);
    const configure = lines.filter((m) => m.startsWith(`${shape.sdk}: configure`)).at(-1)!;
    expect(fields(configure)).toMatchObject({ status: '0', allocator: shape.allocator, len: String(CONFIG.length) });
    expect(lines[lines.indexOf(configure) + 1]).toBe(CONFIG);
  });

  it('adds a request header the upstream sees and a response header the client sees', async () => {
    const env = await load(shape);
    const s = env.openStream();
    expect(s.sendRequestHeaders({ ':method': 'GET', ':path': '/reviews/1', ':authority': 'reviews' }, { endStream: true })).toBe(0);
    expect(s.upstreamRequest?.headers['x-sdk-shape']).toBe(shape.sdk);
    s.sendResponseHeaders({ ':status': '200' }, { endStream: true });
    expect(s.downstreamResponse.headers?.['x-sdk-shape']).toBe(shape.sdk);
    s.complete();
    expect(env.plugin.failed).toBe(false);
  });
});

describe.each(SHAPES.filter((s) => s.wasi))('$sdk-shaped module with WASI imports', (shape) => {
  it('gets no args, the plugin environment, both clocks and random bytes during start-up', async () => {
    const env = await load(shape);
    const report = fields(linesStartingWith(env.logEntries(), `${shape.sdk}: wasi in ${shape.startFunction}`)[0] ?? '');
    expect(report).toMatchObject({
      args_sizes_get: '0', argc: '0', environ_sizes_get: '0', environ_get: '0', environ_count: '2',
      clock_realtime: '0', clock_monotonic: '0', random_get: '0',
    });
    expect(BigInt(report.realtime_ns!)).toBe(BigInt(env.clock.now()) * 1_000_000n);
    // "KEY=VALUE\0" per variable; Envoy keeps them in an unordered map, so compare as a set.
    expect(Number(report.environ_buf)).toBe(Object.entries(ENVIRONMENT).reduce((n, [k, v]) => n + k.length + v.length + 2, 0));
    const envLines = linesStartingWith(env.logEntries(), `${shape.sdk}: env `);
    expect(new Set(envLines)).toEqual(new Set(Object.entries(ENVIRONMENT).map(([k, v]) => `${shape.sdk}: env ${k}=${v}`)));
  });
});

describe('wasi-libc start-up (Rust wasip1 shape)', () => {
  it('finds no preopened directory: fd_prestat_get(3) answers BADF (8) during _initialize', async () => {
    const env = await load(SHAPES.find((s) => s.sdk === 'rust-wasip1')!);
    expect(new Set(linesStartingWith(env.logEntries(), 'rust-wasip1: preopen'))).toEqual(new Set(['rust-wasip1: preopen fd 3 prestat=8']));
  });
});

describe('start-up logging through proxy_log', () => {
  it('is allowed in _initialize (Rust main! block logging) and lands at the level asked for', async () => {
    const env = await load(SHAPES.find((s) => s.sdk === 'rust-unknown')!);
    expect(pluginLines(env.logEntries())).toContainEqual({ level: 'info', message: 'rust-unknown: proxy_log from _initialize' });
  });
});
