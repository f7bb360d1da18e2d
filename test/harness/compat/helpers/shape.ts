/**
 * Builds the WAT text of a proxy-wasm module with the *shape* of a given SDK's output: its import set and
 * signatures, its exports (ABI marker, allocator names, start functions) and its start-up behaviour, plus a
 * minimal filter (on_configure reads the plugin configuration through the module's allocator; request and
 * response headers get one header added). Everything it does is reported through log lines so tests observe
 * it the way an Envoy operator would.
 *
 * Memory map (5 pages): 0x000–0x0ff output slots · 0x100–0x1ff environ pointers · 0x200–0x23f start trace ·
 * 0x7e0–0x7ff digits · 0x800–0xfff line buffer · 0x1000–0x1fff environ strings · 0x2000–0x3fff string data ·
 * 0x4000–… random_get target · 0x20000 heap of the first allocator · 0x30000 heap of `proxy_on_memory_allocate`
 * when a module exports both.
 */

export type WasiModule = 'wasi_snapshot_preview1' | 'wasi_unstable';
export type Allocator = 'malloc' | 'proxy_on_memory_allocate';
export type StartFunction = '_initialize' | 'main' | '_start';

/** WASI preview1 signatures as cpp-host registers them (include/proxy-wasm/exports.h). */
export const WASI_SIGNATURES: Record<string, string> = {
  fd_write: '(param i32 i32 i32 i32) (result i32)',
  fd_read: '(param i32 i32 i32 i32) (result i32)',
  fd_seek: '(param i32 i64 i32 i32) (result i32)',
  fd_close: '(param i32) (result i32)',
  fd_fdstat_get: '(param i32 i32) (result i32)',
  environ_get: '(param i32 i32) (result i32)',
  environ_sizes_get: '(param i32 i32) (result i32)',
  args_get: '(param i32 i32) (result i32)',
  args_sizes_get: '(param i32 i32) (result i32)',
  clock_time_get: '(param i32 i64 i32) (result i32)',
  random_get: '(param i32 i32) (result i32)',
  proc_exit: '(param i32)',
  path_open: '(param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)',
  fd_prestat_get: '(param i32 i32) (result i32)',
  fd_prestat_dir_name: '(param i32 i32 i32) (result i32)',
  poll_oneoff: '(param i32 i32 i32 i32) (result i32)',
  sched_yield: '(result i32)',
  proc_raise: '(param i32) (result i32)',
};

export interface ShapeSpec {
  /** Short SDK name: prefix of every log line and value of the `x-sdk-shape` header. */
  sdk: string;
  /** Citation lines for the `;;` comment at the top of the WAT text. */
  sources: string[];
  abi: 'proxy_abi_version_0_2_0' | 'proxy_abi_version_0_2_1';
  wasiModule?: WasiModule;
  /** WASI functions imported (signatures from WASI_SIGNATURES). */
  wasi?: string[];
  /** Extra `env` imports, e.g. `(import "env" "emscripten_notify_memory_growth" (func $grow (param i32)))`. */
  envImports?: string[];
  allocators: Allocator[];
  startFunctions: StartFunction[];
  /** What the start functions do besides counting: report WASI results on stdout, log through proxy_log. */
  startup?: {
    wasiReport?: boolean;
    proxyLog?: boolean;
    /** wasi-libc's constructors look for preopened directories: fd_prestat_get(3), reported on stdout. */
    preopens?: boolean;
    /** Raw WAT appended to every start function (e.g. a hostcall Envoy forbids at start-up). */
    extra?: string;
  };
  /** Import `proxy_get_log_level` and report it (critical) from on_vm_start. */
  logLevelProbe?: boolean;
  /** Other exports in the SDK's output that the host ignores (e.g. `free`, `calloc`). */
  otherExports?: string[];
}

/** Interns strings into data segments at 0x2000…; `ref(s)` yields `(i32.const ptr) (i32.const len)`; `segments` are the data segments to emit. */
export class StringTable {
  private next = 0x2000;
  private readonly seen = new Map<string, [number, number]>();
  readonly segments: string[] = [];

  ref(s: string): string {
    const [ptr, len] = this.at(s);
    return `(i32.const ${ptr}) (i32.const ${len})`;
  }

  /** Address and byte length of `s` in the data segments. */
  at(s: string): [number, number] {
    let entry = this.seen.get(s);
    if (!entry) {
      const bytes = new TextEncoder().encode(s);
      entry = [this.next, bytes.length];
      this.seen.set(s, entry);
      this.segments.push(`(data (i32.const ${this.next}) "${[...bytes].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('')}")`);
      this.next += bytes.length;
    }
    return entry;
  }
}

/** Helper functions every fixture shares: a line buffer with decimal formatting, log and stdout writers. */
export function library(hasFdWrite: boolean): string {
  return `
  (global $blen (mut i32) (i32.const 0))
  (func $b_reset (global.set $blen (i32.const 0)))
  (func $b_str (param $p i32) (param $l i32)
    (memory.copy (i32.add (i32.const 0x800) (global.get $blen)) (local.get $p) (local.get $l))
    (global.set $blen (i32.add (global.get $blen) (local.get $l))))
  (func $b_u64 (param $n i64) (local $at i32)
    (local.set $at (i32.const 0x7ff))
    (loop $digits
      (i64.store8 (local.get $at) (i64.add (i64.const 48) (i64.rem_u (local.get $n) (i64.const 10))))
      (local.set $n (i64.div_u (local.get $n) (i64.const 10)))
      (local.set $at (i32.sub (local.get $at) (i32.const 1)))
      (br_if $digits (i64.ne (local.get $n) (i64.const 0))))
    (call $b_str (i32.add (local.get $at) (i32.const 1)) (i32.sub (i32.const 0x7ff) (local.get $at))))
  (func $b_u32 (param $n i32) (call $b_u64 (i64.extend_i32_u (local.get $n))))
  (func $strlen (param $p i32) (result i32) (local $n i32)
    (block $done (loop $scan
      (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $scan)))
    (local.get $n))
  (func $log (param $level i32) (drop (call $proxy_log (local.get $level) (i32.const 0x800) (global.get $blen))))
  ${hasFdWrite ? `
  ;; Writes the line buffer plus "\\n" to fd through WASI fd_write (iovec at 0x40, nwritten at 0x48).
  (func $write_line (param $fd i32) (result i32)
    (i32.store8 (i32.add (i32.const 0x800) (global.get $blen)) (i32.const 10))
    (i32.store (i32.const 0x40) (i32.const 0x800))
    (i32.store (i32.const 0x44) (i32.add (global.get $blen) (i32.const 1)))
    (call $fd_write (local.get $fd) (i32.const 0x40) (i32.const 1) (i32.const 0x48)))` : ''}`;
}

export function wasiImport(module: WasiModule, name: string): string {
  const sig = WASI_SIGNATURES[name];
  if (!sig) throw new Error(`no WASI signature for ${name}`);
  return `(import "${module}" "${name}" (func $${name} ${sig}))`;
}

export function buildShape(spec: ShapeSpec): string {
  const s = new StringTable();
  const wasiModule = spec.wasiModule ?? 'wasi_snapshot_preview1';
  const wasi = new Set(spec.wasi ?? []);
  const hasFdWrite = wasi.has('fd_write');
  const report = (fn: StartFunction) => {
    const parts: string[] = [];
    if (spec.startup?.wasiReport) {
      for (const need of ['fd_write', 'args_sizes_get', 'environ_sizes_get', 'environ_get', 'clock_time_get', 'random_get']) {
        if (!wasi.has(need)) throw new Error(`${spec.sdk}: wasiReport needs WASI ${need}`);
      }
      parts.push(`
    (local.set $e_args (call $args_sizes_get (i32.const 0x10) (i32.const 0x14)))
    (local.set $e_envsz (call $environ_sizes_get (i32.const 0x18) (i32.const 0x1c)))
    (local.set $e_env (call $environ_get (i32.const 0x100) (i32.const 0x1000)))
    (local.set $e_rt (call $clock_time_get (i32.const 0) (i64.const 1000) (i32.const 0x20)))
    (local.set $e_mono (call $clock_time_get (i32.const 1) (i64.const 1000) (i32.const 0x28)))
    (local.set $e_rand (call $random_get (i32.const 0x4000) (i32.const 16)))
    (call $b_reset) (call $b_str ${s.ref(`${spec.sdk}: wasi in ${fn}`)})
    (call $b_str ${s.ref(' args_sizes_get=')}) (call $b_u32 (local.get $e_args))
    (call $b_str ${s.ref(' argc=')}) (call $b_u32 (i32.load (i32.const 0x10)))
    (call $b_str ${s.ref(' environ_sizes_get=')}) (call $b_u32 (local.get $e_envsz))
    (call $b_str ${s.ref(' environ_count=')}) (call $b_u32 (i32.load (i32.const 0x18)))
    (call $b_str ${s.ref(' environ_buf=')}) (call $b_u32 (i32.load (i32.const 0x1c)))
    (call $b_str ${s.ref(' environ_get=')}) (call $b_u32 (local.get $e_env))
    (call $b_str ${s.ref(' clock_realtime=')}) (call $b_u32 (local.get $e_rt))
    (call $b_str ${s.ref(' realtime_ns=')}) (call $b_u64 (i64.load (i32.const 0x20)))
    (call $b_str ${s.ref(' clock_monotonic=')}) (call $b_u32 (local.get $e_mono))
    (call $b_str ${s.ref(' random_get=')}) (call $b_u32 (local.get $e_rand))
    (drop (call $write_line (i32.const 1)))
    (local.set $i (i32.const 0))
    (block $no_more (loop $each_env
      (br_if $no_more (i32.ge_u (local.get $i) (i32.load (i32.const 0x18))))
      (local.set $p (i32.load (i32.add (i32.const 0x100) (i32.shl (local.get $i) (i32.const 2)))))
      (call $b_reset) (call $b_str ${s.ref(`${spec.sdk}: env `)}) (call $b_str (local.get $p) (call $strlen (local.get $p)))
      (drop (call $write_line (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $each_env)))`);
    }
    if (spec.startup?.preopens) {
      if (!wasi.has('fd_prestat_get') || !hasFdWrite) throw new Error(`${spec.sdk}: preopens needs WASI fd_prestat_get and fd_write`);
      parts.push(`(call $b_reset) (call $b_str ${s.ref(`${spec.sdk}: preopen fd 3 prestat=`)})
    (call $b_u32 (call $fd_prestat_get (i32.const 3) (i32.const 0x60))) (drop (call $write_line (i32.const 1)))`);
    }
    if (spec.startup?.extra) parts.push(spec.startup.extra);
    if (spec.startup?.proxyLog) {
      parts.push(`(call $b_reset) (call $b_str ${s.ref(`${spec.sdk}: proxy_log from ${fn}`)}) (call $log (i32.const 2))`);
    }
    return parts.join('\n');
  };
  const traceChar: Record<StartFunction, string> = { _initialize: 'I', main: 'M', _start: 'S' };
  const startFn = (fn: StartFunction) => {
    const sig = fn === 'main' ? '(param i32 i32) (result i32)' : '';
    const ret = fn === 'main' ? '(i32.const 0)' : '';
    const announce = hasFdWrite
      ? `(call $b_reset) (call $b_str ${s.ref(`${spec.sdk}: ${fn} run `)}) (call $b_u32 (global.get $starts)) (drop (call $write_line (i32.const 1)))`
      : '';
    return `
  (func (export "${fn}") ${sig}
    (local $e_args i32) (local $e_envsz i32) (local $e_env i32) (local $e_rt i32) (local $e_mono i32) (local $e_rand i32)
    (local $i i32) (local $p i32)
    (global.set $starts (i32.add (global.get $starts) (i32.const 1)))
    (i32.store8 (i32.add (i32.const 0x200) (global.get $trace_len)) (i32.const ${traceChar[fn].charCodeAt(0)}))
    (global.set $trace_len (i32.add (global.get $trace_len) (i32.const 1)))
    ${announce}
    ${report(fn)}
    ${ret})`;
  };
  const both = spec.allocators.length > 1;
  const allocator = (name: Allocator) => {
    const heap = both && name === 'proxy_on_memory_allocate' ? '$heap_b' : '$heap_a';
    return `
  (func (export "${name}") (param $n i32) (result i32) (local $p i32)
    (global.set $last_alloc (i32.const ${name === 'malloc' ? 1 : 2}))
    (local.set $p (global.get ${heap}))
    (global.set ${heap} (i32.add (local.get $p) (i32.and (i32.add (local.get $n) (i32.const 7)) (i32.const -8))))
    (local.get $p))`;
  };
  const logLevelProbe = spec.logLevelProbe
    ? `(local.set $st (call $proxy_get_log_level (i32.const 0x30)))
    (call $b_reset) (call $b_str ${s.ref(`${spec.sdk}: log_level=`)}) (call $b_u32 (i32.load (i32.const 0x30)))
    (call $b_str ${s.ref(' status=')}) (call $b_u32 (local.get $st)) (call $log (i32.const 5))`
    : '';
  const body = `
  (import "env" "proxy_log" (func $proxy_log (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_buffer_bytes" (func $proxy_get_buffer_bytes (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_add_header_map_value" (func $proxy_add_header_map_value (param i32 i32 i32 i32 i32) (result i32)))
  ${spec.logLevelProbe ? '(import "env" "proxy_get_log_level" (func $proxy_get_log_level (param i32) (result i32)))' : ''}
  ${[...wasi].map((f) => wasiImport(wasiModule, f)).join('\n  ')}
  ${(spec.envImports ?? []).join('\n  ')}
  (memory (export "memory") 5)
  (global $starts (mut i32) (i32.const 0))
  (global $trace_len (mut i32) (i32.const 0))
  (global $heap_a (mut i32) (i32.const 0x20000))
  (global $heap_b (mut i32) (i32.const 0x30000))
  (global $last_alloc (mut i32) (i32.const 0))
  ${library(hasFdWrite)}
  (func (export "${spec.abi}"))
  ${spec.allocators.map(allocator).join('\n')}
  ${(spec.otherExports ?? []).map((name) => `(func (export "${name}") (param i32))`).join('\n  ')}
  ${spec.startFunctions.map(startFn).join('\n')}
  (func (export "proxy_on_context_create") (param i32 i32))
  (func (export "proxy_on_vm_start") (param $root i32) (param $size i32) (result i32) (local $st i32)
    (call $b_reset) (call $b_str ${s.ref(`${spec.sdk}: vm_start starts=`)}) (call $b_u32 (global.get $starts))
    (call $b_str ${s.ref(' trace=')}) (call $b_str (i32.const 0x200) (global.get $trace_len))
    (call $log (i32.const 2))
    ${logLevelProbe}
    (i32.const 1))
  (func (export "proxy_on_configure") (param $root i32) (param $size i32) (result i32) (local $st i32)
    (global.set $last_alloc (i32.const 0))
    (i32.store (i32.const 0) (i32.const 0)) (i32.store (i32.const 4) (i32.const 0))
    (local.set $st (call $proxy_get_buffer_bytes (i32.const 7) (i32.const 0) (local.get $size) (i32.const 0) (i32.const 4)))
    (call $b_reset) (call $b_str ${s.ref(`${spec.sdk}: configure status=`)}) (call $b_u32 (local.get $st))
    (call $b_str ${s.ref(' allocator=')})
    (if (i32.eq (global.get $last_alloc) (i32.const 1)) (then (call $b_str ${s.ref('malloc')}))
      (else (if (i32.eq (global.get $last_alloc) (i32.const 2)) (then (call $b_str ${s.ref('proxy_on_memory_allocate')}))
        (else (call $b_str ${s.ref('none')})))))
    (call $b_str ${s.ref(' ptr=')}) (call $b_u32 (i32.load (i32.const 0)))
    (call $b_str ${s.ref(' len=')}) (call $b_u32 (i32.load (i32.const 4)))
    (call $log (i32.const 2))
    (if (i32.ne (i32.load (i32.const 4)) (i32.const 0))
      (then (drop (call $proxy_log (i32.const 2) (i32.load (i32.const 0)) (i32.load (i32.const 4))))))
    (i32.const 1))
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
    (drop (call $proxy_add_header_map_value (i32.const 0) ${s.ref('x-sdk-shape')} ${s.ref(spec.sdk)}))
    (i32.const 0))
  (func (export "proxy_on_response_headers") (param i32 i32 i32) (result i32)
    (drop (call $proxy_add_header_map_value (i32.const 2) ${s.ref('x-sdk-shape')} ${s.ref(spec.sdk)}))
    (i32.const 0))
  (func (export "proxy_on_done") (param i32) (result i32) (i32.const 1))
  (func (export "proxy_on_delete") (param i32))`;
  const header = [`;; asmesh compat fixture: module shape of ${spec.sdk}`, ...spec.sources.map((l) => `;; ${l}`)].join('\n');
  return `${header}\n(module${body}\n  ${s.segments.join('\n  ')}\n)\n`;
}
