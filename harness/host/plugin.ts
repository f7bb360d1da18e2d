/**
 * One Wasm plugin (Envoy `PluginConfig`): base VM of its vm key (shared), canary VM run then discarded, its root
 * context (`on_context_create(root, 0)` → `on_vm_start` → `on_configure`) in the worker VM it shares with the other
 * plugins of the same vm key, failure policy for later requests (FAIL_CLOSED / FAIL_OPEN / FAIL_RELOAD after a
 * backoff) — reference §1.2, §6.3, §6.4.
 */
import { PluginLoadError } from '../errors.ts';
import type { RootContext } from './context.ts';
import type { HeaderMap } from './header-map.ts';
import { cancelHttpCalls } from './abi/http-call.ts';
import { FilterHeadersStatus, FilterDataStatus, FilterTrailersStatus, GrpcStatus, MetricType } from './status.ts';
import type { FilterCallbacks, HttpFilter } from './types.ts';
import type { VmPluginInfo, VmServices, Violation, WasmVm } from './vm.ts';
import { vmKey, type VmPool, type VmSource } from './vm-pool.ts';
import type { WasmBinaryInfo } from './wasm-binary.ts';
import { WasmHttpFilter, type WasmFilterOwner } from './wasm-filter.ts';

export type FailurePolicy = 'FAIL_CLOSED' | 'FAIL_OPEN' | 'FAIL_RELOAD';
export type HostViolation = Violation;

export interface PluginSpec {
  name: string;
  rootId: string;
  vmId: string;
  wasm: Uint8Array;
  configuration?: Uint8Array | string;
  vmConfiguration?: Uint8Array | string;
  environment?: Record<string, string>;
  failurePolicy?: FailurePolicy;
  allowOnHeadersStopIteration?: boolean;
  /** Run a canary VM first, as Envoy does (default true). */
  canary?: boolean;
  /** FAIL_RELOAD backoff base (Envoy default 1 s; the emulator uses no jitter). */
  reloadBackoffMs?: number;
}

const encoder = new TextEncoder();
const bytesOf = (v: Uint8Array | string | undefined): Uint8Array => (v === undefined ? new Uint8Array(0) : typeof v === 'string' ? encoder.encode(v) : v);

/** 503 `wasm_fail_stream` for every request once a FAIL_CLOSED VM is gone (filter created without a VM). */
class FailedVmFilter implements HttpFilter {
  private callbacks!: FilterCallbacks;
  constructor(readonly name: string) {}
  setCallbacks(c: FilterCallbacks): void {
    this.callbacks = c;
  }
  decodeHeaders(): FilterHeadersStatus {
    this.callbacks.sendLocalReply({ status: 503, body: new Uint8Array(0), extraHeaders: [], grpcStatus: GrpcStatus.Unavailable, details: 'wasm_fail_stream' });
    return FilterHeadersStatus.StopAllIterationAndWatermark;
  }
  decodeData(): FilterDataStatus { return FilterDataStatus.StopIterationNoBuffer; }
  decodeTrailers(): FilterTrailersStatus { return FilterTrailersStatus.StopIteration; }
  encodeHeaders(): FilterHeadersStatus { return FilterHeadersStatus.Continue; }
  encodeData(): FilterDataStatus { return FilterDataStatus.Continue; }
  encodeTrailers(): FilterTrailersStatus { return FilterTrailersStatus.Continue; }
  log(_a: HeaderMap | null, _b: HeaderMap | null, _c: HeaderMap | null): void {}
  onDestroy(): void {}
}

export class Plugin implements WasmFilterOwner {
  readonly name: string;
  readonly rootId: string;
  readonly vmId: string;
  readonly failurePolicy: FailurePolicy;
  readonly allowOnHeadersStopIteration: boolean;
  private vm!: WasmVm;
  private root!: RootContext;
  private vmLoadedAt = 0;
  private readonly info: VmPluginInfo;
  private readonly source: VmSource;
  /** Violations of every VM this plugin ran (base and canary included). */
  readonly violations: Violation[] = [];

  private constructor(
    private readonly spec: PluginSpec,
    module: WebAssembly.Module,
    binary: WasmBinaryInfo,
    private readonly services: VmServices,
    private readonly pool: VmPool,
  ) {
    this.name = spec.name;
    this.rootId = spec.rootId;
    this.vmId = spec.vmId;
    this.failurePolicy = spec.failurePolicy ?? 'FAIL_CLOSED';
    this.allowOnHeadersStopIteration = spec.allowOnHeadersStopIteration ?? false;
    this.info = {
      name: spec.name, rootId: spec.rootId, vmId: spec.vmId, configuration: bytesOf(spec.configuration),
      vmConfiguration: bytesOf(spec.vmConfiguration), environment: spec.environment ?? {},
    };
    this.source = { key: vmKey(spec.vmId, this.info.vmConfiguration, spec.wasm), binary, module, info: this.info };
  }

  /**
   * Envoy createWasm: the base VM of the vm key (start functions, no root; reused by later plugins with the same
   * key), a canary clone for this plugin (unless disabled), then this plugin's root in the shared worker VM.
   * Throws PluginLoadError like Envoy refuses the configuration.
   */
  static load(spec: PluginSpec, module: WebAssembly.Module, binary: WasmBinaryInfo, services: VmServices, pool: VmPool): Plugin {
    const plugin = new Plugin(spec, module, binary, services, pool);
    plugin.violations.push(...plugin.loading(() => pool.ensureBase(plugin.source)));
    if (spec.canary ?? true) plugin.startRoot(plugin.loading(() => pool.clone(plugin.source)), true);
    plugin.startRoot(plugin.loading(() => pool.worker(plugin.source)), false);
    return plugin;
  }

  get failOpen(): boolean {
    return this.failurePolicy === 'FAIL_OPEN';
  }

  /** True once the worker VM trapped (and was not reloaded yet) — whichever plugin on that VM trapped it. */
  get failed(): boolean {
    return this.vm.failed;
  }

  /** The worker VM (shared with the other plugins of the same vm key; tests read counts, contexts, violations). */
  get workerVm(): WasmVm {
    return this.vm;
  }

  get rootContextId(): number {
    return this.root.id;
  }

  /** Run a VM-creating step; its Envoy-worded failure becomes PluginLoadError. */
  private loading<T>(make: () => T): T {
    try {
      return make();
    } catch (e) {
      throw new PluginLoadError(`Unable to create Wasm HTTP filter ${this.name}: ${(e as Error).message}`, this.name, { cause: e });
    }
  }

  /** cpp-host `start` + `configure` of this plugin's root in `vm`: on_context_create → on_vm_start → on_configure. */
  private startRoot(vm: WasmVm, canary: boolean): void {
    const root = vm.createRootContext(this.info);
    const fail = (why: string): never => {
      this.violations.push(...vm.violations);
      this.services.log({ level: 'critical', message: `Wasm VM failed ${why}`, plugin: this.name, host: true });
      throw new PluginLoadError(`Unable to create Wasm HTTP filter ${this.name}: ${why}`, this.name);
    };
    vm.callHook('proxy_on_context_create', root.id, 0);
    if (vm.failed) fail(vm.failureMessage);
    const started = vm.callHook('proxy_on_vm_start', root.id, this.info.vmConfiguration.length);
    if (vm.failed) fail(`Failed to start base Wasm VM: ${vm.failureMessage}`);
    if (started !== undefined && started === 0) fail('Failed to start base Wasm VM');
    root.pluginConfiguration = this.info.configuration;
    let configured: number | undefined;
    try {
      configured = vm.callHook('proxy_on_configure', root.id, this.info.configuration.length);
    } finally {
      root.pluginConfiguration = null;
    }
    if (vm.failed) fail(`Failed to configure base Wasm plugin: ${vm.failureMessage}`);
    if (configured !== undefined && configured === 0) fail('Failed to configure base Wasm plugin');
    if (canary) {
      // Discarded without on_done/on_delete; its timers die with it.
      root.deleted = true;
      stopRoot(root);
      this.violations.push(...vm.violations);
      return;
    }
    this.vm = vm;
    this.root = root;
    this.vmLoadedAt = this.services.clock.now();
    vm.failureListeners.push(() => stopRoot(root));
  }

  /** A filter for a new stream, or null when FAIL_OPEN skips the failed plugin. */
  createFilter(): HttpFilter | null {
    if (this.vm.failed) {
      if (this.failurePolicy === 'FAIL_OPEN') return null;
      if (this.failurePolicy === 'FAIL_RELOAD' && this.maybeReload()) return new WasmHttpFilter(this, this.vm, this.root);
      return new FailedVmFilter(this.name);
    }
    return new WasmHttpFilter(this, this.vm, this.root);
  }

  private counter(suffix: string): void {
    this.services.metrics.define(`wasm.${this.name}.${suffix}`, MetricType.Counter).value++;
  }

  /**
   * FAIL_RELOAD: once the backoff since the last load passed, this plugin's root in the worker VM of its key —
   * a fresh clone, or the one another plugin of the same key already reloaded.
   */
  private maybeReload(): boolean {
    if (this.services.clock.now() - this.vmLoadedAt < (this.spec.reloadBackoffMs ?? 1000)) {
      this.counter('vm_reload_backoff');
      return false;
    }
    try {
      this.startRoot(this.loading(() => this.pool.worker(this.source)), false);
      this.counter('vm_reload_success');
      return true;
    } catch {
      this.vmLoadedAt = this.services.clock.now();
      this.counter('vm_reload_failure');
      return false;
    }
  }

  onVmFailed(vm: WasmVm): void {
    this.violations.push(...vm.violations.filter((v) => !this.violations.includes(v)));
  }

  /** Hostcall counts of the worker VM (all plugins sharing it): total, or for one hook (e.g. 'proxy_on_request_headers'). */
  hostcallCounts(hook?: string): Map<string, number> {
    return new Map(hook ? this.vm.hookCounts.get(hook) ?? [] : this.vm.counts);
  }

  resetHostcallCounts(): void {
    this.vm.counts.clear();
    this.vm.hookCounts.clear();
  }

  /** Envoy shutdown of the root: on_done; true → on_delete; false → parked until proxy_done. */
  shutdown(): void {
    const vm = this.vm;
    const root = this.root;
    root.tickTimer?.cancel();
    root.tickTimer = null;
    if (vm.failed || root.deleted) return;
    const done = vm.callHook('proxy_on_done', root.id);
    if (done === undefined || done !== 0) {
      root.deleted = true;
      vm.callHook('proxy_on_delete', root.id);
      cancelHttpCalls(root);
    } else {
      root.awaitingDone = true;
    }
  }
}

/** A root whose VM is gone or discarded: no more ticks, pending http calls cancelled. */
function stopRoot(root: RootContext): void {
  root.tickTimer?.cancel();
  root.tickTimer = null;
  cancelHttpCalls(root);
}
