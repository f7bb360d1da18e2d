/**
 * The import set Envoy (cpp-host `WasmBase::registerCallbacks` + Envoy `Wasm::registerCallbacks`) offers per
 * ABI version, with exact Wasm signatures, and `checkModule`: a pure, fast pre-flight check that reports what
 * Envoy's V8 link step would refuse (reference §1.1, §1.3).
 */
import { formatSig, readWasmBinary, WasmBinaryError, type FuncSig, type ValType, type WasmBinaryInfo } from '../wasm-binary.ts';

export type AbiVersion = '0.1.0' | '0.2.0' | '0.2.1';

/** Compact signature: params ':' results, i = i32, I = i64 ('iii:i' = (i32,i32,i32)->(i32)). */
function sig(s: string): FuncSig {
  const [p = '', r = ''] = s.split(':');
  const t = (c: string): ValType => (c === 'I' ? 'i64' : 'i32');
  return { params: [...p].map(t), results: [...r].map(t) };
}

/** `env.proxy_*` hostcalls common to every ABI version (cpp-host FOR_ALL_HOST_FUNCTIONS). */
const COMMON_PROXY: Record<string, string> = {
  proxy_log: 'iii:i',
  proxy_get_status: 'iii:i',
  proxy_set_property: 'iiii:i',
  proxy_get_property: 'iiii:i',
  proxy_send_local_response: 'iiiiiiii:i',
  proxy_get_shared_data: 'iiiii:i',
  proxy_set_shared_data: 'iiiii:i',
  proxy_register_shared_queue: 'iii:i',
  proxy_resolve_shared_queue: 'iiiii:i',
  proxy_dequeue_shared_queue: 'iii:i',
  proxy_enqueue_shared_queue: 'iii:i',
  proxy_get_header_map_value: 'iiiii:i',
  proxy_add_header_map_value: 'iiiii:i',
  proxy_replace_header_map_value: 'iiiii:i',
  proxy_remove_header_map_value: 'iii:i',
  proxy_get_header_map_pairs: 'iii:i',
  proxy_set_header_map_pairs: 'iii:i',
  proxy_get_header_map_size: 'ii:i',
  proxy_get_buffer_status: 'iii:i',
  proxy_get_buffer_bytes: 'iiiii:i',
  proxy_set_buffer_bytes: 'iiiii:i',
  proxy_http_call: 'iiiiiiiiii:i',
  proxy_grpc_call: 'iiiiiiiiiiii:i',
  proxy_grpc_stream: 'iiiiiiiii:i',
  proxy_grpc_close: 'i:i',
  proxy_grpc_cancel: 'i:i',
  proxy_grpc_send: 'iiii:i',
  proxy_set_tick_period_milliseconds: 'i:i',
  proxy_get_current_time_nanoseconds: 'i:i',
  proxy_define_metric: 'iiii:i',
  proxy_increment_metric: 'iI:i',
  proxy_record_metric: 'iI:i',
  proxy_get_metric: 'ii:i',
  proxy_set_effective_context: 'i:i',
  proxy_done: ':i',
  proxy_call_foreign_function: 'iiiiii:i',
};

const ABI_SPECIFIC: Record<AbiVersion, Record<string, string>> = {
  '0.1.0': { proxy_get_configuration: 'ii:i', proxy_continue_request: ':i', proxy_continue_response: ':i', proxy_clear_route_cache: ':i' },
  '0.2.0': { proxy_continue_stream: 'i:i', proxy_close_stream: 'i:i' },
  '0.2.1': { proxy_continue_stream: 'i:i', proxy_close_stream: 'i:i', proxy_get_log_level: 'i:i' },
};

/** WASI functions registered under both `wasi_unstable` and `wasi_snapshot_preview1`. */
const WASI: Record<string, string> = {
  fd_write: 'iiii:i',
  fd_read: 'iiii:i',
  fd_seek: 'iIii:i',
  fd_close: 'i:i',
  fd_fdstat_get: 'ii:i',
  environ_get: 'ii:i',
  environ_sizes_get: 'ii:i',
  args_get: 'ii:i',
  args_sizes_get: 'ii:i',
  clock_time_get: 'iIi:i',
  random_get: 'ii:i',
  proc_exit: 'i:',
  path_open: 'iiiiiIIii:i',
  fd_prestat_get: 'ii:i',
  fd_prestat_dir_name: 'iii:i',
  poll_oneoff: 'iiii:i',
  sched_yield: ':i',
};

/** Non-proxy `env` functions: cpp-host's emscripten helpers and Envoy's own extension. */
const ENV_EXTRAS: Record<string, string> = {
  emscripten_notify_memory_growth: 'i:',
  pthread_equal: 'ii:i',
  envoy_resolve_dns: 'iii:i',
};

export const WASI_MODULES = ['wasi_unstable', 'wasi_snapshot_preview1'] as const;

/** `module.name` → signature for everything Envoy offers to a module of this ABI version. */
export function offeredImports(abi: AbiVersion): Map<string, FuncSig> {
  const out = new Map<string, FuncSig>();
  for (const [name, s] of Object.entries({ ...COMMON_PROXY, ...ABI_SPECIFIC[abi], ...ENV_EXTRAS })) out.set(`env.${name}`, sig(s));
  for (const m of WASI_MODULES) for (const [name, s] of Object.entries(WASI)) out.set(`${m}.${name}`, sig(s));
  return out;
}

/** Names of the WASI functions offered (without module). */
export const WASI_FUNCTION_NAMES: readonly string[] = Object.keys(WASI);
/** ABI 0.2.1 `proxy_*` hostcall names. */
export const PROXY_HOSTCALLS_0_2_1: readonly string[] = [...Object.keys(COMMON_PROXY), ...Object.keys(ABI_SPECIFIC['0.2.1'])];

/** Module exports cpp-host looks up, with the signature it requires (`getFunction` → "Bad function signature for: …"). */
const CALLBACKS_0_2: Record<string, string> = {
  malloc: 'i:i', proxy_on_memory_allocate: 'i:i', _initialize: ':', _start: ':', main: 'ii:i',
  proxy_on_context_create: 'ii:', proxy_on_vm_start: 'ii:i', proxy_validate_configuration: 'ii:i',
  proxy_on_configure: 'ii:i', proxy_on_tick: 'i:', proxy_on_queue_ready: 'ii:', proxy_on_foreign_function: 'iii:',
  proxy_on_request_headers: 'iii:i', proxy_on_request_body: 'iii:i', proxy_on_request_trailers: 'ii:i',
  proxy_on_request_metadata: 'ii:i', proxy_on_response_headers: 'iii:i', proxy_on_response_body: 'iii:i',
  proxy_on_response_trailers: 'ii:i', proxy_on_response_metadata: 'ii:i', proxy_on_http_call_response: 'iiiii:',
  proxy_on_grpc_receive_initial_metadata: 'iii:', proxy_on_grpc_receive_trailing_metadata: 'iii:',
  proxy_on_grpc_receive: 'iii:', proxy_on_grpc_close: 'iii:', proxy_on_log: 'i:', proxy_on_done: 'i:i', proxy_on_delete: 'i:',
};

/** Exports present with a signature cpp-host would refuse. */
export function exportProblems(info: WasmBinaryInfo): string[] {
  const problems: string[] = [];
  for (const e of info.exports) {
    const want = CALLBACKS_0_2[e.name];
    if (e.kind !== 'function' || !want || !e.sig) continue;
    if (!sameSig(e.sig, sig(want))) problems.push(`Bad function signature for: ${e.name}, want: ${v8Sig(sig(want))}, but the module exports: ${v8Sig(e.sig)}`);
  }
  return problems;
}

const ABI_MARKERS: Record<string, AbiVersion> = {
  proxy_abi_version_0_1_0: '0.1.0',
  proxy_abi_version_0_2_0: '0.2.0',
  proxy_abi_version_0_2_1: '0.2.1',
};

export interface ModuleCheck {
  abi: AbiVersion | null;
  imports: { module: string; name: string; kind: string; signature?: string }[];
  exports: { name: string; kind: string; signature?: string }[];
  /** Envoy-worded reasons the module would be refused at load; empty = loads. */
  problems: string[];
  /** Facts worth telling the user that do not stop loading (e.g. ABI 0.1.0 is refused by this emulator). */
  notes: string[];
}

/** First `proxy_abi_version_*` function export in export order (cpp-host `BytecodeUtil::getAbiVersion`). */
export function detectAbi(info: WasmBinaryInfo): AbiVersion | null {
  for (const e of info.exports) {
    if (e.kind !== 'function') continue;
    const abi = ABI_MARKERS[e.name];
    if (abi) return abi;
  }
  return null;
}

/** cpp-host `src/v8/v8.cc` printValKind (wasm-c-api kinds: externref is ANYREF; anything else "unknown"). */
const V8_KIND: Record<ValType, string> = { i32: 'i32', i64: 'i64', f32: 'f32', f64: 'f64', funcref: 'funcref', externref: 'anyref', v128: 'unknown' };

/** A function type as cpp-host's V8 runtime prints it (printValTypes): kinds joined by a space, `void` for none (`i32 i32 -> i32`). */
export function v8Sig(s: FuncSig): string {
  const kinds = (t: readonly ValType[]): string => (t.length ? t.map((k) => V8_KIND[k]).join(' ') : 'void');
  return `${kinds(s.params)} -> ${kinds(s.results)}`;
}

function sameSig(a: FuncSig, b: FuncSig): boolean {
  return a.params.join() === b.params.join() && a.results.join() === b.results.join();
}

/** Linking problems for `info` against the offered set of `abi` (V8::link wording). */
export function linkProblems(info: WasmBinaryInfo, abi: AbiVersion): string[] {
  const offered = offeredImports(abi);
  const problems: string[] = [];
  for (const imp of info.imports) {
    const full = `${imp.module}.${imp.name}`;
    if (imp.kind !== 'function') {
      problems.push(`Failed to load Wasm module due to a missing import: ${full}`);
      continue;
    }
    const want = offered.get(full);
    if (!want) {
      problems.push(`Failed to load Wasm module due to a missing import: ${full}`);
    } else if (imp.sig && !sameSig(imp.sig, want)) {
      // V8::link: "want" is the module's import type, "host exports" the host function's type.
      problems.push(`Failed to load Wasm module due to an import type mismatch: ${full}, want: ${v8Sig(imp.sig)}, but host exports: ${v8Sig(want)}`);
    }
  }
  return problems;
}

/** Pure, fast check of a module as Envoy would load it. Accepts a compiled module or its bytes. */
export function checkModule(module: WebAssembly.Module | Uint8Array | ArrayBuffer): ModuleCheck {
  if (module instanceof WebAssembly.Module) return checkCompiledModule(module);
  const bytes = module instanceof Uint8Array ? module : new Uint8Array(module);
  let info: WasmBinaryInfo;
  try {
    info = readWasmBinary(bytes);
  } catch (e) {
    const why = e instanceof WasmBinaryError ? e.message : String(e);
    return { abi: null, imports: [], exports: [], problems: [`Failed to parse corrupted Wasm module (${why})`], notes: [] };
  }
  return checkInfo(info);
}

export function checkInfo(info: WasmBinaryInfo): ModuleCheck {
  const abi = detectAbi(info);
  const problems: string[] = [];
  const notes: string[] = [];
  if (!abi) {
    problems.push('Missing or unknown Proxy-Wasm ABI version');
  } else {
    problems.push(...linkProblems(info, abi));
    if (abi !== '0.1.0') problems.push(...exportProblems(info));
    if (abi === '0.1.0') notes.push('ABI 0.1.0 loads in Envoy but is not run by this emulator (it emulates ABI 0.2.0 and 0.2.1)');
    const names = new Set(info.exports.filter((e) => e.kind === 'function').map((e) => e.name));
    if (!names.has('malloc') && !names.has('proxy_on_memory_allocate')) problems.push('Wasm module is missing malloc function.');
    if (!info.exports.some((e) => e.kind === 'memory')) problems.push('Wasm module does not export its memory.');
  }
  return {
    abi,
    imports: info.imports.map((i) => ({ module: i.module, name: i.name, kind: i.kind, signature: i.sig && formatSig(i.sig) })),
    exports: info.exports.map((e) => ({ name: e.name, kind: e.kind, signature: e.sig && formatSig(e.sig) })),
    problems,
    notes,
  };
}

/** Without bytes we only know names: signatures cannot be compared (WebAssembly.Module.imports has none). */
function checkCompiledModule(module: WebAssembly.Module): ModuleCheck {
  const info: WasmBinaryInfo = {
    imports: WebAssembly.Module.imports(module).map((i) => ({ module: i.module, name: i.name, kind: i.kind as 'function' })),
    exports: WebAssembly.Module.exports(module).map((e) => ({ name: e.name, kind: e.kind as 'function' })),
    hasStartSection: false,
  };
  return checkInfo(info);
}
