/**
 * Every proxy-wasm ABI enumeration with its number, in one file (reference §2.1, §4).
 * Values are the ones cpp-host / Envoy use on the wire; names follow the cpp-sdk spelling.
 */

/** `WasmResult`: status returned by every hostcall (§2.1). */
export const WasmResult = {
  Ok: 0,
  NotFound: 1,
  BadArgument: 2,
  SerializationFailure: 3,
  ParseFailure: 4,
  BadExpression: 5,
  InvalidMemoryAccess: 6,
  Empty: 7,
  CasMismatch: 8,
  ResultMismatch: 9,
  InternalFailure: 10,
  BrokenConnection: 11,
  Unimplemented: 12,
} as const;
export type WasmResult = (typeof WasmResult)[keyof typeof WasmResult];

/** `proxy_map_type_t` (§4.1). Values > 7 → BadArgument. */
export const MapType = {
  HttpRequestHeaders: 0,
  HttpRequestTrailers: 1,
  HttpResponseHeaders: 2,
  HttpResponseTrailers: 3,
  GrpcReceiveInitialMetadata: 4,
  GrpcReceiveTrailingMetadata: 5,
  HttpCallResponseHeaders: 6,
  HttpCallResponseTrailers: 7,
} as const;
export type MapType = (typeof MapType)[keyof typeof MapType];
export const MAX_MAP_TYPE = 7;

/** `proxy_buffer_type_t` (§4.2). Values > 8 → BadArgument. */
export const BufferType = {
  HttpRequestBody: 0,
  HttpResponseBody: 1,
  NetworkDownstreamData: 2,
  NetworkUpstreamData: 3,
  HttpCallResponseBody: 4,
  GrpcReceiveBuffer: 5,
  VmConfiguration: 6,
  PluginConfiguration: 7,
  CallData: 8,
} as const;
export type BufferType = (typeof BufferType)[keyof typeof BufferType];
export const MAX_BUFFER_TYPE = 8;

/** `proxy_stream_type_t` (§4.3). Values > 3 → BadArgument. */
export const StreamType = {
  HttpRequest: 0,
  HttpResponse: 1,
  Downstream: 2,
  Upstream: 3,
} as const;
export type StreamType = (typeof StreamType)[keyof typeof StreamType];
export const MAX_STREAM_TYPE = 3;

/** Envoy `FilterHeadersStatus` (§1.6, §4.4). */
export const FilterHeadersStatus = {
  Continue: 0,
  StopIteration: 1,
  ContinueAndEndStream: 2,
  StopAllIterationAndBuffer: 3,
  StopAllIterationAndWatermark: 4,
} as const;
export type FilterHeadersStatus = (typeof FilterHeadersStatus)[keyof typeof FilterHeadersStatus];

/** Envoy `FilterDataStatus` (§1.6, §4.4). */
export const FilterDataStatus = {
  Continue: 0,
  StopIterationAndBuffer: 1,
  StopIterationAndWatermark: 2,
  StopIterationNoBuffer: 3,
} as const;
export type FilterDataStatus = (typeof FilterDataStatus)[keyof typeof FilterDataStatus];

/** Envoy `FilterTrailersStatus` (§1.6, §4.4). */
export const FilterTrailersStatus = {
  Continue: 0,
  StopIteration: 1,
} as const;
export type FilterTrailersStatus = (typeof FilterTrailersStatus)[keyof typeof FilterTrailersStatus];

/** `proxy_metric_type_t` (§4.4, §5.9). */
export const MetricType = {
  Counter: 0,
  Gauge: 1,
  Histogram: 2,
} as const;
export type MetricType = (typeof MetricType)[keyof typeof MetricType];
export const MAX_METRIC_TYPE = 2;

/** `proxy_peer_type_t` / CloseType (§4.4). */
export const PeerType = { Unknown: 0, Local: 1, Remote: 2 } as const;

/** proxy-wasm log levels as passed to `proxy_log` (§4.5). */
export const LogLevel = {
  trace: 0,
  debug: 1,
  info: 2,
  warn: 3,
  error: 4,
  critical: 5,
} as const;
export type LogLevelName = keyof typeof LogLevel;
export const LOG_LEVEL_NAMES: readonly LogLevelName[] = ['trace', 'debug', 'info', 'warn', 'error', 'critical'];
/** spdlog "off", reported by `proxy_get_log_level` when the wasm logger is disabled. */
export const LOG_LEVEL_OFF = 6;

/** gRPC status codes (§4.4); -1 is the SDK's "not gRPC". */
export const GrpcStatus = {
  Ok: 0,
  Cancelled: 1,
  Unknown: 2,
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Aborted: 10,
  OutOfRange: 11,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  DataLoss: 15,
  Unauthenticated: 16,
  InvalidCode: -1,
} as const;

/** `wasi_errno_t` values the host returns (§2.3, §4.4). */
export const WasiErrno = {
  Success: 0,
  Badf: 8,
  Fault: 21,
  Inval: 28,
  Noent: 44,
  Nosys: 52,
  Notsup: 58,
  Notcapable: 76,
} as const;

/** Host parsing limits (cpp-host `include/proxy-wasm/limits.h`, §3.1). */
export const PAIRS_MAX_BYTES = 1024 * 1024;
export const PAIRS_MAX_COUNT = 1024;
/** Envoy listener `per_connection_buffer_limit_bytes` default (§5.11). */
export const DEFAULT_BUFFER_LIMIT_BYTES = 1024 * 1024;
