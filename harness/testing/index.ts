/**
 * asmesh/testing — proxytest-like test API over the host emulator (Envoy-faithful, not Envoy).
 * Drivers act as Envoy (send request/response parts, advance the clock, answer http calls); inspectors read
 * what the emulated Envoy now holds (upstream request, local reply, logs, stats, hostcall counts).
 */
import { readFile } from 'node:fs/promises';
import { PluginLoadError } from '../errors.ts';
import { ManualClock, RealClock } from '../host/clock.ts';
import { WasmHost } from '../host/host.ts';
import type { FailurePolicy, Plugin } from '../host/plugin.ts';
import { LOG_LEVEL_NAMES, type LogLevelName } from '../host/status.ts';
import type { HttpCallOutcome, HttpCallRequest, HttpCallTransport, LogEntry, PropertyValue, StatsTagRule } from '../host/index.ts';
import { TestStream, type StreamOptions } from './stream.ts';

export { TestStream } from './stream.ts';
export type { StreamOptions, HeadersInput, LocalResponse, DownstreamResponse, UpstreamRequest } from './stream.ts';
export { ManualClock } from '../host/clock.ts';

export interface TestHostOptions {
  /** Path to a .wasm file or its bytes. */
  wasm: string | Uint8Array;
  name?: string;
  rootId?: string;
  vmId?: string;
  configuration?: string | Uint8Array;
  vmConfiguration?: string | Uint8Array;
  environment?: Record<string, string>;
  /** Node-level/extra properties by dotted path, e.g. `{ 'xds.node.id': 'x' }`. */
  properties?: Record<string, PropertyValue>;
  failurePolicy?: FailurePolicy;
  allowOnHeadersStopIteration?: boolean;
  /** 'manual' (default): time moves only with env.clock.advance(ms). */
  clock?: 'manual' | 'real';
  /** Envoy wasm log level; default 'trace' so tests see every plugin line. */
  logLevel?: LogLevelName;
  /** Clusters http_call may target (default: every name is known). */
  clusters?: string[];
  statsTags?: StatsTagRule[];
  /** Run the canary VM like Envoy (default true). */
  canary?: boolean;
  reloadBackoffMs?: number;
}

/** A pending `proxy_http_call` the test answers. */
export interface PendingHttpCall {
  cluster: string;
  headers: Record<string, string>;
  body: Uint8Array;
  trailers: Record<string, string>;
  timeoutMs: number;
  respond(response: { headers: Record<string, string> | [string, string][]; body?: string | Uint8Array; trailers?: Record<string, string> | [string, string][] }): void;
  fail(reason: 'reset'): void;
}

const encoder = new TextEncoder();
const pairsOf = (h: Record<string, string> | [string, string][] | undefined): [string, string][] => (Array.isArray(h) ? h : Object.entries(h ?? {}));

class TestTransport implements HttpCallTransport {
  readonly pending: PendingHttpCall[] = [];
  constructor(private readonly known: string[] | undefined) {}
  clusters(): Iterable<string> {
    return this.known ?? [];
  }
  hasCluster(name: string): boolean {
    return this.known ? this.known.includes(name) : true;
  }
  send(req: HttpCallRequest, signal: AbortSignal, complete: (o: HttpCallOutcome) => void): void {
    const call: PendingHttpCall = {
      cluster: req.cluster,
      headers: Object.fromEntries(req.headers),
      body: req.body,
      trailers: Object.fromEntries(req.trailers),
      timeoutMs: req.timeoutMs,
      respond: (r) => {
        this.remove(call);
        complete({ kind: 'response', headers: pairsOf(r.headers), body: typeof r.body === 'string' ? encoder.encode(r.body) : r.body, trailers: pairsOf(r.trailers) });
      },
      fail: () => {
        this.remove(call);
        complete({ kind: 'reset' });
      },
    };
    this.pending.push(call);
    signal.addEventListener('abort', () => this.remove(call));
  }
  private remove(call: PendingHttpCall): void {
    const i = this.pending.indexOf(call);
    if (i >= 0) this.pending.splice(i, 1);
  }
}

export class TestEnv {
  private streamSeq = 0;
  constructor(
    readonly host: WasmHost,
    readonly plugin: Plugin,
    readonly clock: ManualClock,
    private readonly transport: TestTransport,
    private readonly properties: Record<string, PropertyValue>,
  ) {}

  /** A new HTTP stream through this plugin's filter (and a test-double router). */
  openStream(options: StreamOptions = {}): TestStream {
    return new TestStream(this.host, this.plugin, { ...options, extraProperties: { ...this.properties, ...options.extraProperties } }, ++this.streamSeq);
  }

  httpCalls(): PendingHttpCall[] {
    return [...this.transport.pending];
  }

  /** Plugin log lines at or above `level` (default: all kept). */
  logs(level: LogLevelName = 'trace'): string[] {
    return filterLogs(this.host.logs, level);
  }
  logEntries(): LogEntry[] {
    return [...this.host.logs];
  }

  counter(name: string): number | undefined {
    return this.host.metrics.get(name)?.value;
  }
  gauge(name: string): number | undefined {
    return this.host.metrics.get(name)?.value;
  }
  histogram(name: string): number[] | undefined {
    return this.host.metrics.get(name)?.samples.slice();
  }
  prometheus(): string {
    return this.host.metrics.prometheus();
  }

  /** Hostcall counts since the last reset; pass a hook name for that hook only. */
  hostcalls(hook?: string): Record<string, number> {
    return Object.fromEntries(this.plugin.hostcallCounts(hook));
  }
  resetHostcalls(): void {
    this.plugin.resetHostcallCounts();
  }
  /** Guest contract violations recorded by the host. */
  violations(): { hostcall: string; message: string }[] {
    return [...this.plugin.violations, ...this.plugin.workerVm.violations];
  }

  dispose(): void {
    this.host.dispose();
  }
}

function filterLogs(logs: LogEntry[], level: LogLevelName): string[] {
  const min = LOG_LEVEL_NAMES.indexOf(level);
  return logs.filter((l) => !l.host && LOG_LEVEL_NAMES.indexOf(l.level) >= min).map((l) => l.message);
}

/** Load a plugin into a fresh emulated host. Rejects with PluginLoadError; `error.logs` holds the plugin's lines. */
export async function createTestHost(options: TestHostOptions): Promise<TestEnv> {
  const wasm = typeof options.wasm === 'string' ? new Uint8Array(await readFile(options.wasm)) : options.wasm;
  const clock = options.clock === 'real' ? (new RealClock() as unknown as ManualClock) : new ManualClock();
  const transport = new TestTransport(options.clusters);
  const upstream: HttpCallTransport = transport;
  const host = new WasmHost({ clock, logLevel: options.logLevel ?? 'trace', upstream, statsTags: options.statsTags, nodeProperties: options.properties });
  const name = options.name ?? 'test';
  try {
    const plugin = await host.loadPlugin({
      name, rootId: options.rootId ?? name, vmId: options.vmId ?? name, wasm,
      configuration: options.configuration, vmConfiguration: options.vmConfiguration, environment: options.environment,
      failurePolicy: options.failurePolicy, allowOnHeadersStopIteration: options.allowOnHeadersStopIteration,
      canary: options.canary, reloadBackoffMs: options.reloadBackoffMs,
    });
    return new TestEnv(host, plugin, clock, transport, options.properties ?? {});
  } catch (e) {
    if (e instanceof PluginLoadError) Object.assign(e, { logs: (level: LogLevelName = 'trace') => filterLogs(host.logs, level) });
    throw e;
  }
}
