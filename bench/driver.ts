/** Drives a proxy-wasm module through root start and requests (context create → headers → log → done → delete). */
import { createFixedHost, type FixedHost, type FixedHostOptions } from './fixed-host.ts';

type Fn = (...args: number[]) => number | void;

export class FixedDriver {
  readonly host: FixedHost;
  readonly instance: WebAssembly.Instance;
  private nextId = 2;
  private readonly f: Record<string, Fn>;
  /**
   * The request loop, compiled separately for every driver (`new Function`): a loop shared by all drivers
   * would make its six call sites megamorphic once a second module ran, so whichever module was measured
   * first (the floor) would get a cheaper loop than the others. With one loop per driver every module is
   * called through monomorphic call sites.
   */
  private readonly loop: (id: number, count: number) => number;

  constructor(module: WebAssembly.Module, options: FixedHostOptions) {
    this.host = createFixedHost(module, options);
    this.instance = new WebAssembly.Instance(module, this.host.imports);
    this.host.bind(this.instance);
    const noop: Fn = () => 0;
    const e = this.instance.exports as Record<string, unknown>;
    const get = (n: string): Fn => (typeof e[n] === 'function' ? (e[n] as Fn) : noop);
    this.f = Object.fromEntries(
      ['proxy_on_context_create', 'proxy_on_vm_start', 'proxy_on_configure', 'proxy_on_request_headers', 'proxy_on_response_headers',
        'proxy_on_log', 'proxy_on_done', 'proxy_on_delete'].map((n) => [n, get(n)]),
    );
    this.loop = new Function(
      'create', 'reqH', 'resH', 'onLog', 'onDone', 'onDelete',
      `return function requests(id, count) {
        for (let i = 0; i < count; i++, id++) {
          create(id, 1);
          reqH(id, 8, 1);
          resH(id, 3, 1);
          onLog(id);
          onDone(id);
          onDelete(id);
        }
        return id;
      };`,
    )(this.f.proxy_on_context_create, this.f.proxy_on_request_headers, this.f.proxy_on_response_headers, this.f.proxy_on_log,
      this.f.proxy_on_done, this.f.proxy_on_delete) as (id: number, count: number) => number;
  }

  get memoryBytes(): number {
    return (this.instance.exports.memory as WebAssembly.Memory).buffer.byteLength;
  }

  /** Root context 1: create, vm start, configure. Returns whether both start and configure accepted. */
  start(configSize: number): boolean {
    this.f.proxy_on_context_create!(1, 0);
    const started = this.f.proxy_on_vm_start!(1, 0);
    const configured = this.f.proxy_on_configure!(1, configSize);
    return started === 1 && configured === 1;
  }

  /** `count` requests, each a fresh stream context. */
  requests(count: number): void {
    this.nextId = this.loop(this.nextId, count);
  }

}
