/** Drives a proxy-wasm module through root start and requests (context create → headers → log → done → delete). */
import { createFixedHost, type FixedHost, type FixedHostOptions } from './fixed-host.ts';

type Fn = (...args: number[]) => number | void;

export class FixedDriver {
  readonly host: FixedHost;
  readonly instance: WebAssembly.Instance;
  private nextId = 2;
  private readonly f: Record<string, Fn>;

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
    const f = this.f;
    const create = f.proxy_on_context_create!, reqH = f.proxy_on_request_headers!, resH = f.proxy_on_response_headers!;
    const onLog = f.proxy_on_log!, onDone = f.proxy_on_done!, onDelete = f.proxy_on_delete!;
    let id = this.nextId;
    for (let i = 0; i < count; i++, id++) {
      create(id, 1);
      reqH(id, 8, 1);
      resH(id, 3, 1);
      onLog(id);
      onDone(id);
      onDelete(id);
    }
    this.nextId = id;
  }
}
