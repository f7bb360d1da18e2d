/**
 * A minimal fixed-answer proxy-wasm host for benchmarks and SDK memory tests: every hostcall returns Ok with
 * a fixed value, so a measurement isolates the Wasm side. Not an emulator of Envoy (that is harness/host);
 * it only knows enough to start a root (plugin_root_id, configuration) and to hand out one fixed header map.
 */

export interface FixedHostOptions {
  /** Value of the `plugin_root_id` property. */
  rootId: string;
  /** Plugin configuration bytes served during proxy_on_configure. */
  configuration?: string;
  /** The header map every `proxy_get_header_map_pairs` returns. */
  headers?: [string, string][];
  /** Raw bytes to return instead of `headers` (for robustness tests with malformed pair buffers). */
  rawHeaders?: Uint8Array;
}

export interface FixedHost {
  imports: WebAssembly.Imports;
  /** Give the host the instance (memory and malloc). */
  bind(instance: WebAssembly.Instance): void;
  /** Hostcalls since the last reset, by name. */
  counts(): Record<string, number>;
  total(): number;
  reset(): void;
  /** Messages passed to proxy_log (kept only when `keepLogs`). */
  logs: { level: number; message: string }[];
  keepLogs: boolean;
}

/** Serialize pairs in the proxy-wasm wire format (u32 count, lengths, key\0value\0…). */
export function serializePairs(pairs: [string, string][]): Uint8Array {
  const enc = new TextEncoder();
  const encoded = pairs.map(([k, v]) => [enc.encode(k), enc.encode(v)] as const);
  const size = 4 + encoded.reduce((n, [k, v]) => n + 8 + k.length + v.length + 2, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, pairs.length, true);
  let off = 4 + 8 * pairs.length;
  encoded.forEach(([k, v], i) => {
    view.setUint32(4 + 8 * i, k.length, true);
    view.setUint32(8 + 8 * i, v.length, true);
    out.set(k, off);
    off += k.length + 1;
    out.set(v, off);
    off += v.length + 1;
  });
  return out;
}

export const BENCH_REQUEST_HEADERS: [string, string][] = [
  [':authority', 'bench.local'], [':path', '/api/v1/items?page=2'], [':method', 'GET'], [':scheme', 'http'],
  ['user-agent', 'curl/8.5.0'], ['accept', '*/*'], ['x-forwarded-proto', 'http'], ['x-request-id', '6f1c2a9e-3b7d-4c55-9a0e-1d2f3a4b5c6d'],
];

export function createFixedHost(module: WebAssembly.Module, options: FixedHostOptions): FixedHost {
  const names = WebAssembly.Module.imports(module).filter((i) => i.kind === 'function').map((i) => i.name);
  // One counter slot per import; the wrappers have a fixed arity (no rest arrays) so the host's own cost per
  // hostcall stays small next to the Wasm side being measured.
  const counts = new Float64Array(names.length);
  let instance: WebAssembly.Instance | null = null;
  let memory: WebAssembly.Memory | null = null;
  let malloc: ((n: number) => number) | null = null;
  let bytes = new Uint8Array(0);
  let view = new DataView(bytes.buffer);
  const rootId = new TextEncoder().encode(options.rootId);
  const config = new TextEncoder().encode(options.configuration ?? '');
  const pairs = options.rawHeaders ?? serializePairs(options.headers ?? BENCH_REQUEST_HEADERS);
  const host: FixedHost = {
    imports: {},
    bind(i) {
      instance = i;
      memory = i.exports.memory as WebAssembly.Memory;
      malloc = i.exports.malloc as (n: number) => number;
    },
    counts: () => Object.fromEntries(names.map((n, i) => [n, counts[i]!] as const).filter(([, n]) => n > 0)),
    total: () => counts.reduce((a, b) => a + b, 0),
    reset: () => { counts.fill(0); },
    logs: [],
    keepLogs: false,
  };
  /** Views of the module's memory, refreshed when it grew (the old ArrayBuffer is then detached). */
  const views = (): void => {
    const buffer = memory!.buffer;
    if (bytes.buffer !== buffer) {
      bytes = new Uint8Array(buffer);
      view = new DataView(buffer);
    }
  };
  /** Copy `data` into module memory through its malloc and write ptr/len into the out slots. */
  const give = (data: Uint8Array, ptrOut: number, lenOut: number): number => {
    if (instance === null) return 0;
    const ptr = data.length === 0 ? 0 : malloc!(data.length);
    views();
    if (data.length > 0) bytes.set(data, ptr);
    view.setUint32(ptrOut, ptr, true);
    view.setUint32(lenOut, data.length, true);
    return 0;
  };
  const special: Record<string, (...a: number[]) => number | void> = {
    proxy_log: (level, ptr, len) => {
      if (host.keepLogs) {
        views();
        host.logs.push({ level: level!, message: new TextDecoder().decode(bytes.subarray(ptr!, ptr! + len!)) });
      }
      return 0;
    },
    proxy_get_property: (_p, _l, ptrOut, lenOut) => give(rootId, ptrOut!, lenOut!),
    proxy_get_buffer_bytes: (_type, _start, _max, ptrOut, lenOut) => give(config, ptrOut!, lenOut!),
    proxy_get_header_map_pairs: (_map, ptrOut, lenOut) => give(pairs, ptrOut!, lenOut!),
    proc_exit: () => undefined,
  };
  const ok = (): number => 0;
  names.forEach((name, index) => {
    const impl = special[name] ?? ok;
    const fn = (a?: number, b?: number, c?: number, d?: number, e?: number, f?: number, g?: number, h?: number, i?: number,
      j?: number): number | void => {
      counts[index]!++;
      return impl(a!, b!, c!, d!, e!, f!, g!, h!, i!, j!);
    };
    const imp = WebAssembly.Module.imports(module).find((x) => x.name === name)!;
    ((host.imports[imp.module] ??= {}) as Record<string, unknown>)[name] = fn;
  });
  return host;
}
