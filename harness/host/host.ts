/**
 * WasmHost: one emulated Envoy process — clock, wasm logger level and log lines, process-wide stats, shared
 * data and queues, the upstream used by `proxy_http_call`, and the plugins loaded into it.
 */
import { PluginLoadError } from '../errors.ts';
import { checkInfo } from './abi/offered.ts';
import { RealClock } from './clock.ts';
import { MetricStore, type StatsTagRule } from './metrics.ts';
import { Plugin, type PluginSpec } from './plugin.ts';
import { SharedData, SharedQueues } from './shared.ts';
import { LogLevel, type LogLevelName } from './status.ts';
import type { Clock, HttpCallTransport, LogEntry, PropertyValue } from './types.ts';
import type { VmServices } from './vm.ts';
import { VmPool } from './vm-pool.ts';
import { readWasmBinary } from './wasm-binary.ts';

export interface WasmHostOptions {
  clock?: Clock;
  /** Envoy wasm logger level (default 'info'); 'off' silences plugins. */
  logLevel?: LogLevelName | 'off';
  onLog?: (entry: LogEntry) => void;
  upstream?: HttpCallTransport;
  /** `stats_config.stats_tags` for the Prometheus renderer. */
  statsTags?: StatsTagRule[];
  /** Node-level properties, e.g. `{ 'xds.node.id': 'sidecar~…' }` (keys are dotted paths). */
  nodeProperties?: Record<string, PropertyValue>;
}

export class WasmHost {
  readonly clock: Clock;
  readonly metrics: MetricStore;
  readonly logs: LogEntry[] = [];
  readonly plugins: Plugin[] = [];
  private readonly services: VmServices;
  private readonly pool: VmPool;
  private readonly posted: (() => void)[] = [];
  private level: number;
  private disposed = false;

  constructor(private readonly options: WasmHostOptions = {}) {
    this.clock = options.clock ?? new RealClock();
    this.metrics = new MetricStore({ statsTags: options.statsTags });
    this.level = options.logLevel === 'off' ? 6 : LogLevel[options.logLevel ?? 'info'];
    this.services = {
      clock: this.clock,
      metrics: this.metrics,
      sharedData: new SharedData(),
      queues: new SharedQueues(),
      upstream: options.upstream,
      nodeProperties: options.nodeProperties,
      logLevel: () => this.level,
      log: (entry) => {
        this.logs.push(entry);
        this.options.onLog?.(entry);
      },
      post: (fn) => this.post(fn),
      activeCalls: { count: 0 },
      onIdle: () => this.drain(),
    };
    this.pool = new VmPool(this.services);
  }

  setLogLevel(level: LogLevelName | 'off'): void {
    this.level = level === 'off' ? 6 : LogLevel[level];
  }

  /**
   * Compile, check like Envoy, start base (once per vm key) + canary + this plugin's root in the worker VM. Plugins
   * with the same vm_id, code and VM configuration share the worker VM (module globals included), as in Envoy.
   * Rejects with PluginLoadError (Envoy-worded reason).
   */
  async loadPlugin(spec: PluginSpec): Promise<Plugin> {
    let binary;
    try {
      binary = readWasmBinary(spec.wasm);
    } catch (e) {
      throw new PluginLoadError(`Unable to create Wasm HTTP filter ${spec.name}: Failed to parse corrupted Wasm module`, spec.name, { cause: e });
    }
    const check = checkInfo(binary);
    if (check.problems.length) {
      for (const p of check.problems) this.services.log({ level: 'critical', message: p, plugin: spec.name, host: true });
      throw new PluginLoadError(`Unable to create Wasm HTTP filter ${spec.name}: ${check.problems[0]}`, spec.name);
    }
    let module: WebAssembly.Module;
    try {
      module = await WebAssembly.compile(spec.wasm);
    } catch (e) {
      throw new PluginLoadError(`Unable to create Wasm HTTP filter ${spec.name}: Failed to load Wasm bytecode`, spec.name, { cause: e });
    }
    const plugin = Plugin.load(spec, module, binary, this.services, this.pool);
    this.plugins.push(plugin);
    return plugin;
  }

  /** Dispatcher post: runs now when no VM is executing, else right after the running VM call returns. */
  private post(fn: () => void): void {
    this.posted.push(fn);
    this.drain();
  }

  /** Run posted work while no VM call is in progress (a VM's return calls `onIdle` → here again). */
  private drain(): void {
    while (this.services.activeCalls.count === 0) {
      const next = this.posted.shift();
      if (!next) return;
      next();
    }
  }

  /** Root contexts: on_done (→ on_delete, or parked until proxy_done); timers stopped. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const p of this.plugins) p.shutdown();
  }
}
