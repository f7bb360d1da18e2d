/**
 * Machine-readable list of every hostcall the emulator offers: name → area, ABI versions, a one-line description
 * and the test covering it. The README table (`hostcallTable`) and the coverage tests read it.
 */
export type HostcallArea =
  | 'logging' | 'properties' | 'headers' | 'buffers' | 'stream' | 'http-call' | 'grpc' | 'shared-data' | 'queues'
  | 'metrics' | 'timers' | 'foreign' | 'wasi' | 'env';

export interface HostcallInfo {
  name: string;
  area: HostcallArea;
  /** ABI versions that offer it ('all' = 0.2.0 and 0.2.1 here; 0.1.0-only calls are listed with '0.1.0'). */
  abi: 'all' | '0.2.1' | '0.1.0';
  description: string;
  /** Emulator limits worth knowing; empty when it behaves as Envoy. */
  note?: string;
  /** Test file that checks the statuses/behaviour of this call (none for ABI 0.1.0-only calls, which are not run). */
  test?: string;
}

const CONFORMANCE = 'test/harness/host/conformance.test.ts';
const WASI_PROBE = 'test/harness/compat/wasi.test.ts';
const WASI_EXTRAS = 'test/harness/host/wasi-extras.test.ts';

const h = (name: string, area: HostcallArea, description: string, note?: string, abi: HostcallInfo['abi'] = 'all'): HostcallInfo =>
  ({ name, area, abi, description, note, test: abi === '0.1.0' ? undefined : CONFORMANCE });
/** WASI (offered under both `wasi_unstable` and `wasi_snapshot_preview1`) and the non-proxy `env` helpers. */
const w = (name: string, area: 'wasi' | 'env', description: string, test: string, note?: string): HostcallInfo => ({ name, area, abi: 'all', description, note, test });

export const HOSTCALLS: readonly HostcallInfo[] = [
  h('proxy_log', 'logging', 'log a line at level 0..5 (> 5 → BadArgument)'),
  h('proxy_get_log_level', 'logging', 'current level of the wasm logger (0..6)', undefined, '0.2.1'),
  h('proxy_get_current_time_nanoseconds', 'logging', 'wall-clock ns since epoch from the host clock'),
  h('proxy_get_status', 'logging', 'status code/message of the root context (11 "reset" after a reset http_call)'),
  h('proxy_set_effective_context', 'logging', 'act on another context for the rest of this VM entry (unknown → BadArgument)'),
  h('proxy_done', 'logging', 'finish a root parked by on_done=false (else NotFound)'),
  h('proxy_get_property', 'properties', 'read an attribute by NUL-separated path, Envoy encoding'),
  h('proxy_set_property', 'properties', 'store bytes as filter state wasm.<path> (root → NotFound)'),
  h('proxy_get_header_map_value', 'headers', 'first value of a header (absent → NotFound; unavailable map → BadArgument)'),
  h('proxy_get_header_map_pairs', 'headers', 'all entries in pair format (unavailable map → empty)'),
  h('proxy_set_header_map_pairs', 'headers', 'replace the whole map (malformed input → empty map)'),
  h('proxy_add_header_map_value', 'headers', 'add a value (inline headers comma-merged)'),
  h('proxy_replace_header_map_value', 'headers', 'set a single value'),
  h('proxy_remove_header_map_value', 'headers', 'remove all values (Ok if absent)'),
  h('proxy_get_header_map_size', 'headers', 'Envoy byteSize(): sum of key and value lengths'),
  h('proxy_get_buffer_bytes', 'buffers', 'read a range of a body/configuration/http-call buffer'),
  h('proxy_get_buffer_status', 'buffers', 'buffer size and flags (flags always 0)'),
  h('proxy_set_buffer_bytes', 'buffers', 'prepend/replace/append body bytes'),
  h('proxy_continue_stream', 'stream', 'resume request/response iteration after the call (UPSTREAM → Unimplemented)'),
  h('proxy_close_stream', 'stream', 'reset the stream (details wasm_close_stream)'),
  h('proxy_send_local_response', 'stream', 'reply locally after the call, built like Envoy'),
  h('proxy_http_call', 'http-call', 'call a cluster; response later on the root context'),
  h('proxy_grpc_call', 'grpc', 'unary gRPC callout', 'no gRPC transport: unknown cluster → ParseFailure, known → InternalFailure'),
  h('proxy_grpc_stream', 'grpc', 'streaming gRPC callout', 'as proxy_grpc_call'),
  h('proxy_grpc_send', 'grpc', 'send on a gRPC stream', 'no streams exist: stream token → NotFound'),
  h('proxy_grpc_cancel', 'grpc', 'cancel a gRPC call', 'no calls exist: gRPC token → NotFound'),
  h('proxy_grpc_close', 'grpc', 'close a gRPC call', 'no calls exist: gRPC token → NotFound'),
  h('proxy_get_shared_data', 'shared-data', 'read a key of the vm_id namespace with its cas'),
  h('proxy_set_shared_data', 'shared-data', 'write a key (cas mismatch → CasMismatch)'),
  h('proxy_register_shared_queue', 'queues', 'create/re-open a queue; on_queue_ready goes to this root'),
  h('proxy_resolve_shared_queue', 'queues', 'find a queue by vm_id and name (unknown → NotFound)'),
  h('proxy_enqueue_shared_queue', 'queues', 'push an item and notify the registrant'),
  h('proxy_dequeue_shared_queue', 'queues', 'pop an item (empty → Empty)'),
  h('proxy_define_metric', 'metrics', 'define counter/gauge/histogram wasmcustom.<name> (type > 2 → BadArgument)'),
  h('proxy_increment_metric', 'metrics', 'add to a counter (> 0) or gauge'),
  h('proxy_record_metric', 'metrics', 'counter add, gauge set, histogram sample'),
  h('proxy_get_metric', 'metrics', 'counter/gauge value (histogram → BadArgument)'),
  h('proxy_set_tick_period_milliseconds', 'timers', 'arm/disarm the root tick timer'),
  h('proxy_call_foreign_function', 'foreign', 'compress, uncompress, declare_property, set_envoy_filter_state', 'set_envoy_filter_state stores raw bytes; no CEL expr_* functions'),
  h('proxy_get_configuration', 'buffers', 'ABI 0.1.0 only', 'ABI 0.1.0 modules are refused', '0.1.0'),
  h('proxy_continue_request', 'stream', 'ABI 0.1.0 only', 'ABI 0.1.0 modules are refused', '0.1.0'),
  h('proxy_continue_response', 'stream', 'ABI 0.1.0 only', 'ABI 0.1.0 modules are refused', '0.1.0'),
  h('proxy_clear_route_cache', 'stream', 'ABI 0.1.0 only', 'ABI 0.1.0 modules are refused', '0.1.0'),
  w('fd_write', 'wasi', 'fd 1 → info line, fd 2 → error line (one trailing newline dropped); other fds → 8 BADF', WASI_PROBE),
  w('fd_read', 'wasi', '52 NOSYS (no files)', WASI_PROBE),
  w('fd_seek', 'wasi', 'logs an error, returns 0', WASI_PROBE),
  w('fd_close', 'wasi', 'logs an error, returns 0', WASI_PROBE),
  w('fd_fdstat_get', 'wasi', 'fd 1/2: zeroed fdstat with rights FD_WRITE (64); other fds → 8 BADF', WASI_PROBE),
  w('fd_prestat_get', 'wasi', 'no preopens: 8 BADF', WASI_PROBE),
  w('fd_prestat_dir_name', 'wasi', '52 NOSYS', WASI_PROBE),
  w('path_open', 'wasi', '44 NOENT', WASI_PROBE),
  w('args_sizes_get', 'wasi', 'zero arguments', WASI_PROBE),
  w('args_get', 'wasi', 'zero arguments', WASI_PROBE),
  w('environ_sizes_get', 'wasi', 'count and size of the vm_config environment variables', WASI_EXTRAS),
  w('environ_get', 'wasi', 'KEY=VALUE\\0 strings of the vm_config environment variables', WASI_EXTRAS),
  w('clock_time_get', 'wasi', 'id 0 realtime, 1 monotonic; others → 58 NOTSUP', WASI_EXTRAS),
  w('random_get', 'wasi', 'random bytes; more than 65536 → 28 INVAL', WASI_EXTRAS),
  w('proc_exit', 'wasi', 'does not trap: logged and returns', WASI_PROBE),
  w('poll_oneoff', 'wasi', 'success, no events', WASI_EXTRAS, 'offered as in the reference; older Envoy releases do not register it (see host notes)'),
  w('sched_yield', 'wasi', 'success', WASI_EXTRAS, 'as poll_oneoff'),
  w('emscripten_notify_memory_growth', 'env', 'no-op', WASI_EXTRAS),
  w('pthread_equal', 'env', '1 when equal, else 0', WASI_EXTRAS),
  w('envoy_resolve_dns', 'env', 'Envoy extension: asynchronous DNS lookup', WASI_EXTRAS, 'no DNS: InternalFailure, recorded as a violation'),
];

const AREA_ORDER: readonly HostcallArea[] = [
  'logging', 'properties', 'headers', 'buffers', 'stream', 'http-call', 'grpc', 'shared-data', 'queues', 'metrics', 'timers',
  'foreign', 'wasi', 'env',
];
const ABI_LABEL: Record<HostcallInfo['abi'], string> = { all: '0.2.0, 0.2.1', '0.2.1': '0.2.1', '0.1.0': '0.1.0 only' };

/**
 * Markdown table of every hostcall the emulator offers, by area: hostcall, ABI versions, behaviour (with the
 * emulator's limits) and the test that checks it. WASI calls are offered under both `wasi_unstable` and
 * `wasi_snapshot_preview1`. The lead renders it into README.md (`harness/docs/readme.ts`).
 */
export function hostcallTable(): string {
  const rows = ['| Area | Hostcall | ABI versions | Behaviour and status notes | Covered by |', '|---|---|---|---|---|'];
  for (const area of AREA_ORDER) {
    for (const hc of HOSTCALLS) {
      if (hc.area !== area) continue;
      const notes = hc.note ? `${hc.description}. Emulator: ${hc.note}` : hc.description;
      rows.push(`| ${area} | \`${hc.name}\` | ${ABI_LABEL[hc.abi]} | ${notes} | ${hc.test ? `\`${hc.test}\`` : 'not run'} |`);
    }
  }
  return rows.join('\n');
}
