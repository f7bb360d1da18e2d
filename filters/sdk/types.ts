// Every proxy-wasm ABI 0.2.x enumeration the SDK uses, with its ABI number.
// A test (test/filters/sdk/types.test.ts) checks these agree with harness/host/status.ts.
// The names of the status enums match proxy-runtime 0.1.8 so hook signatures read the same.

/** `WasmResult`: status returned by every hostcall. */
export enum WasmResultValues {
  Ok = 0,
  NotFound = 1,
  BadArgument = 2,
  SerializationFailure = 3,
  ParseFailure = 4,
  BadExpression = 5,
  InvalidMemoryAccess = 6,
  Empty = 7,
  CasMismatch = 8,
  ResultMismatch = 9,
  InternalFailure = 10,
  BrokenConnection = 11,
  Unimplemented = 12,
}

/** `proxy_log` levels. */
export enum LogLevelValues {
  trace = 0,
  debug = 1,
  info = 2,
  warn = 3,
  error = 4,
  critical = 5,
}

/** Return value of `onRequestHeaders` / `onResponseHeaders`. */
export enum FilterHeadersStatusValues {
  Continue = 0,
  StopIteration = 1,
  ContinueAndEndStream = 2,
  StopAllIterationAndBuffer = 3,
  StopAllIterationAndWatermark = 4,
}

/** Return value of `onRequestBody` / `onResponseBody`. */
export enum FilterDataStatusValues {
  Continue = 0,
  StopIterationAndBuffer = 1,
  StopIterationAndWatermark = 2,
  StopIterationNoBuffer = 3,
}

/** Return value of `onRequestTrailers` / `onResponseTrailers`. */
export enum FilterTrailersStatusValues {
  Continue = 0,
  StopIteration = 1,
}

/** Return value of the metadata hooks (ignored by Envoy). */
export enum FilterMetadataStatusValues {
  Continue = 0,
}

/** Return value of the TCP hooks (unused by HTTP filters). */
export enum FilterStatusValues {
  Continue = 0,
  StopIteration = 1,
}

/** `proxy_map_type_t`. */
export enum MapTypeValues {
  RequestHeaders = 0,
  RequestTrailers = 1,
  ResponseHeaders = 2,
  ResponseTrailers = 3,
  GrpcReceiveInitialMetadata = 4,
  GrpcReceiveTrailingMetadata = 5,
  HttpCallResponseHeaders = 6,
  HttpCallResponseTrailers = 7,
}

/** `proxy_buffer_type_t`. */
export enum BufferTypeValues {
  HttpRequestBody = 0,
  HttpResponseBody = 1,
  NetworkDownstreamData = 2,
  NetworkUpstreamData = 3,
  HttpCallResponseBody = 4,
  GrpcReceiveBuffer = 5,
  VmConfiguration = 6,
  PluginConfiguration = 7,
  CallData = 8,
}

/** `proxy_stream_type_t`. */
export enum StreamTypeValues {
  Request = 0,
  Response = 1,
  Downstream = 2,
  Upstream = 3,
}

/** `proxy_metric_type_t`. */
export enum MetricTypeValues {
  Counter = 0,
  Gauge = 1,
  Histogram = 2,
}

/** `proxy_peer_type_t`. */
export enum PeerTypeValues {
  Unknown = 0,
  Local = 1,
  Remote = 2,
}

/** gRPC status codes; `InvalidCode` (-1) means "not a gRPC reply" in `sendLocalResponse`. */
export enum GrpcStatusValues {
  Ok = 0,
  Canceled = 1,
  Unknown = 2,
  InvalidArgument = 3,
  DeadlineExceeded = 4,
  NotFound = 5,
  AlreadyExists = 6,
  PermissionDenied = 7,
  ResourceExhausted = 8,
  FailedPrecondition = 9,
  Aborted = 10,
  OutOfRange = 11,
  Unimplemented = 12,
  Internal = 13,
  Unavailable = 14,
  DataLoss = 15,
  Unauthenticated = 16,
  InvalidCode = -1,
}
