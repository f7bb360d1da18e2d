/**
 * One Wasm VM instance as cpp-host runs it: ABI detection, linking exactly the offered imports, instantiation,
 * start functions, allocator, restricted hostcalls during start/malloc, context bookkeeping, current/effective
 * context per VM entry, traps → VM failed, after-call actions (reference §1.1–1.3, §2.2, §6.4).
 */
import { detectAbi, exportProblems, linkProblems, offeredImports, type AbiVersion } from './abi/offered.ts';
import { buildImports } from './abi/imports.ts';
import { RootContext, StreamContext, type HostContext } from './context.ts';
import { GuestMemory } from './memory.ts';
import { MALLOC_ALLOWED, START_ALLOWED } from './restricted.ts';
import type { MetricStore } from './metrics.ts';
import type { SharedData, SharedQueues } from './shared.ts';
import type { Clock, HttpCallTransport, LogEntry, PropertyValue } from './types.ts';
import type { WasmBinaryInfo } from './wasm-binary.ts';
import type { LogLevelName } from './status.ts';

/** What one emulated Envoy process shares between its VMs. */
export interface VmServices {
  clock: Clock;
  metrics: MetricStore;
  sharedData: SharedData;
  queues: SharedQueues;
  upstream?: HttpCallTransport;
  /** Envoy wasm logger level as spdlog number 0..6. */
  logLevel(): number;
  log(entry: LogEntry): void;
  /** Run `fn` soon, never re-entrantly inside a VM call (Envoy dispatcher post). */
  post(fn: () => void): void;
  /** Number of VM calls in progress across every VM of this process (the dispatcher waits for 0). */
  readonly activeCalls: { count: number };
  /** Called when the last VM call in progress returned: posted work may run now. */
  onIdle(): void;
  /** Node-level properties (`xds.node`…) given by the data plane or test. */
  nodeProperties?: Record<string, PropertyValue>;
}

/**
 * Static facts of one plugin. A VM keeps the one of the plugin that created it (`vm.plugin`: vm_id, VM
 * configuration and environment are the same for every plugin sharing the VM); each root context keeps its own.
 */
export interface VmPluginInfo {
  name: string;
  rootId: string;
  vmId: string;
  configuration: Uint8Array;
  vmConfiguration: Uint8Array;
  environment: Record<string, string>;
}

/** A guest broke the contract; recorded for tests (host returns Envoy's status or traps like Envoy). */
export interface Violation {
  hostcall: string;
  message: string;
}

/** Thrown inside an import to trap the guest (restricted call). */
export class GuestTrap extends Error {
  override readonly name = 'GuestTrap';
}

/** Thrown when the harness itself misuses the VM (e.g. a wrong context id). */
export class HarnessError extends Error {
  override readonly name = 'HarnessError';
}

type Export = (...args: (number | bigint)[]) => number | bigint | undefined;

export class WasmVm {
  readonly abi: AbiVersion;
  memory!: GuestMemory;
  private exportsByName: Record<string, Export> = {};
  private allocator: Export | null = null;

  readonly contexts = new Map<number, HostContext>();
  private nextContextId = 1;
  /** Context the host entered the VM with (0 = VM context, e.g. start functions). */
  currentContextId = 0;
  effectiveContextId = 0;
  private depth = 0;
  private readonly afterCall: (() => void)[] = [];

  restricted: ReadonlySet<string> | null = null;
  /** False while the Wasm start section runs (instance and memory not yet known to the host). */
  bound = false;
  failed = false;
  failureMessage = '';
  readonly violations: Violation[] = [];
  nextHttpCallToken = 4;
  /** Called once when the VM fails (every plugin with a root here applies its own failure policy). */
  readonly failureListeners: ((vm: WasmVm) => void)[] = [];

  /** Hostcall counts: total and per hook (`hookCounts.get('proxy_on_request_headers')`). */
  readonly counts = new Map<string, number>();
  readonly hookCounts = new Map<string, Map<string, number>>();
  currentHookCounts: Map<string, number> | null = null;

  private constructor(
    readonly module: WebAssembly.Module,
    /** The plugin that created this VM: VM-level facts, and log attribution outside any context. */
    readonly plugin: VmPluginInfo,
    readonly services: VmServices,
    abi: AbiVersion,
  ) {
    this.abi = abi;
  }

  /**
   * Link and instantiate (runs the Wasm start section), then the start functions. Returns the VM or throws
   * an Error with Envoy's wording (the Plugin wraps it into PluginLoadError).
   */
  static create(info: WasmBinaryInfo, module: WebAssembly.Module, plugin: VmPluginInfo, services: VmServices): WasmVm {
    const abi = detectAbi(info);
    if (!abi) throw new Error('Missing or unknown Proxy-Wasm ABI version');
    if (abi === '0.1.0') throw new Error('Proxy-Wasm ABI 0.1.0 is not supported by the asmesh emulator (it runs ABI 0.2.0 and 0.2.1)');
    const problems = [...linkProblems(info, abi), ...exportProblems(info)];
    if (problems.length) throw new Error(problems[0]);
    const vm = new WasmVm(module, plugin, services, abi);
    const offered = offeredImports(abi);
    const needed = new Set(info.imports.map((i) => `${i.module}.${i.name}`));
    const importObject = buildImports(vm, offered, needed);
    vm.depth++;
    vm.restricted = START_ALLOWED;
    let instance: WebAssembly.Instance;
    try {
      instance = new WebAssembly.Instance(module, importObject);
    } catch (e) {
      throw new Error(`Failed to instantiate Wasm module: ${(e as Error).message}`, { cause: e });
    } finally {
      vm.depth--;
      vm.restricted = null;
    }
    vm.bind(instance);
    vm.runStartFunctions();
    if (vm.failed) throw new Error(vm.failureMessage);
    return vm;
  }

  private bind(instance: WebAssembly.Instance): void {
    const exp = instance.exports as Record<string, unknown>;
    for (const [k, v] of Object.entries(exp)) if (typeof v === 'function') this.exportsByName[k] = v as Export;
    const mem = Object.values(exp).find((v) => v instanceof WebAssembly.Memory) as WebAssembly.Memory | undefined;
    if (!mem) throw new Error('Wasm module does not export its memory.');
    this.allocator = this.exportsByName['malloc'] ?? this.exportsByName['proxy_on_memory_allocate'] ?? null;
    if (!this.allocator) throw new Error('Wasm module is missing malloc function.');
    this.memory = new GuestMemory(mem, (size) => this.allocate(size));
    this.bound = true;
  }

  /** cpp-host startVm: `_initialize` (+ `main(0,0)`, else `__main_void()`), else `_start`; only logging/WASI basics allowed. */
  private runStartFunctions(): void {
    if (this.exportsByName['_initialize']) {
      this.callRaw('_initialize', START_ALLOWED);
      if (!this.failed && this.exportsByName['main']) this.callRaw('main', START_ALLOWED, 0, 0);
      else if (!this.failed && this.exportsByName['__main_void']) this.callRaw('__main_void', START_ALLOWED);
    } else if (this.exportsByName['_start']) {
      this.callRaw('_start', START_ALLOWED);
    }
  }

  hasExport(name: string): boolean {
    return name in this.exportsByName;
  }

  private allocate(size: number): number {
    const saved = this.restricted;
    this.restricted = MALLOC_ALLOWED;
    try {
      const r = this.allocator!(size);
      return Number(r ?? 0) >>> 0;
    } finally {
      this.restricted = saved;
    }
  }

  /** Call an export outside any context (start functions). */
  private callRaw(name: string, restricted: ReadonlySet<string> | null, a?: number, b?: number): void {
    this.restricted = restricted;
    try {
      this.invoke(name, a, b);
    } finally {
      this.restricted = null;
    }
  }

  /** Missing trailing arguments reach the guest as 0 (JS undefined → i32 0); extra ones are ignored. */
  private invoke(name: string, a?: number, b?: number, c?: number, d?: number, e?: number): number | undefined {
    const fn = this.exportsByName[name]!;
    this.depth++;
    this.services.activeCalls.count++;
    try {
      const r = fn(a!, b!, c!, d!, e!);
      return r === undefined ? undefined : Number(r);
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError || e instanceof GuestTrap || e instanceof RangeError) {
        this.fail(`Function: ${name} failed: Uncaught ${e instanceof GuestTrap ? 'Error' : e.name === 'RangeError' ? 'RangeError' : 'RuntimeError'}: ${e.message}`);
        return undefined;
      }
      throw e;
    } finally {
      this.depth--;
      this.services.activeCalls.count--;
    }
  }

  private fail(message: string): void {
    if (this.failed) return;
    this.failed = true;
    this.failureMessage = message;
    this.services.log({ level: 'error', message, plugin: this.pluginName(), host: true });
    for (const listener of this.failureListeners) listener(this);
  }

  /**
   * Enter the VM on context `contextId` and call hook `name` (skipped when not exported → undefined).
   * Runs after-call actions when the outermost call returns. Returns undefined if the hook is missing
   * or trapped (check `failed`).
   */
  callHook(name: string, contextId: number, a?: number, b?: number, c?: number, d?: number): number | undefined {
    if (this.failed) return undefined;
    if (!(name in this.exportsByName)) return undefined;
    if (contextId !== 0 && !this.contexts.has(contextId)) {
      throw new HarnessError(`${name}: context id ${contextId} does not exist in VM ${this.plugin.vmId} (harness bug)`);
    }
    const outer = this.depth === 0;
    const savedCurrent = this.currentContextId;
    const savedEffective = this.effectiveContextId;
    const savedHook = this.currentHookCounts;
    this.currentContextId = contextId;
    this.effectiveContextId = 0;
    let hc = this.hookCounts.get(name);
    if (!hc) this.hookCounts.set(name, (hc = new Map()));
    this.currentHookCounts = hc;
    let result: number | undefined;
    try {
      result = this.invoke(name, contextId, a, b, c, d);
    } finally {
      this.currentContextId = savedCurrent;
      this.effectiveContextId = savedEffective;
      this.currentHookCounts = savedHook;
    }
    if (outer) this.runAfterCallActions();
    if (this.services.activeCalls.count === 0) this.services.onIdle();
    return result;
  }

  /** Queue work to run once the outermost VM call returns (dropped if the VM failed). */
  deferAfterCall(fn: () => void): void {
    this.afterCall.push(fn);
    if (this.depth === 0) this.runAfterCallActions();
  }

  private runAfterCallActions(): void {
    while (this.afterCall.length) {
      const fn = this.afterCall.shift()!;
      if (!this.failed) fn();
    }
  }

  get inVmCall(): boolean {
    return this.depth > 0;
  }

  // ---- contexts ----

  allocContextId(): number {
    while (this.contexts.has(this.nextContextId)) this.nextContextId++;
    return this.nextContextId++;
  }

  /** A root context for `plugin` with the next id of this VM's counter (plugins sharing the VM get distinct ids). */
  createRootContext(plugin: VmPluginInfo): RootContext {
    const root = new RootContext(this.allocContextId(), plugin);
    this.contexts.set(root.id, root);
    return root;
  }

  createStreamContext(root: RootContext): StreamContext {
    const s = new StreamContext(this.allocContextId(), root);
    this.contexts.set(s.id, s);
    return s;
  }

  /** `contextOrEffectiveContext()`: the effective context if set during this entry, else the current one. */
  context(): HostContext | undefined {
    return this.contexts.get(this.effectiveContextId || this.currentContextId);
  }

  /** Record a guest contract violation (the hostcall still returns Envoy's status). */
  violation(hostcall: string, message: string): void {
    this.violations.push({ hostcall, message });
  }

  /** Called by every import wrapper: restriction check and counting. */
  enterHostcall(fullName: string, shortName: string): void {
    if (this.restricted !== null && !this.restricted.has(fullName)) {
      this.violation(shortName, `${fullName} called while only start-time hostcalls are allowed`);
      throw new GuestTrap(`restricted_callback: ${fullName} is not allowed during start functions or malloc`);
    }
    this.counts.set(shortName, (this.counts.get(shortName) ?? 0) + 1);
    const hc = this.currentHookCounts;
    if (hc) hc.set(shortName, (hc.get(shortName) ?? 0) + 1);
  }

  /** Name of the plugin whose context is running (the VM's first plugin while no context is, e.g. start functions). */
  pluginName(): string {
    const ctx = this.context();
    return ctx ? ctx.root.plugin.name : this.plugin.name;
  }

  log(level: LogLevelName, message: string): void {
    this.services.log({ level, message, plugin: this.pluginName() });
  }
}
