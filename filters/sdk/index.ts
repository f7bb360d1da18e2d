// asmesh SDK: the only module filters import (`import { ... } from "../sdk"`).
// Filter entry file (filters/<name>/index.ts):
//   export * from "../sdk/exports";
//   import { registerRootContext } from "../sdk";
//   import { FaultRoot } from "./filter";
//   registerRootContext((id: u32) => new FaultRoot(id), "fault");
//
// !! AssemblyScript 0.17 reference-counting bug: a conditional expression (`c ? a : b`) that is returned or
// !! stored in a local is not retained when one branch is a VARIABLE (local or parameter) holding a
// !! reference and the other branch is `null` or another variable:
// !!     const v = h.get("x"); return v !== null ? v : null;                               // use-after-free
// !!     function or(a: string | null, b: string): string { return a === null ? b : a; }   // same
// !! Write it with if/return:   if (v === null) return null; return v;
// !! (A literal or a call as the other branch, and ternaries passed as call arguments, are fine.
// !! Debug builds trap on it; test/filters/sdk/ternary.test.ts scans filters/ for the pattern.)

// Model: RootContext (one per plugin) creates a Context per HTTP stream; override only the hooks you use.
export {
  BaseContext, RootContext, Context, httpCall, HttpCallback, HttpCallResponse, httpCallResponse,
  pluginConfiguration, pluginConfigurationBytes, vmConfiguration,
} from "./context";
export { registerRootContext } from "./registry";

// Enumerations with their ABI numbers.
export {
  WasmResultValues, LogLevelValues, FilterHeadersStatusValues, FilterDataStatusValues, FilterTrailersStatusValues,
  FilterMetadataStatusValues, FilterStatusValues, MapTypeValues, BufferTypeValues, StreamTypeValues, MetricTypeValues,
  PeerTypeValues, GrpcStatusValues,
} from "./types";

// Header maps: one hostcall per view; mutations per header.
export {
  Headers, HeaderPairs, requestHeaders, responseHeaders, requestTrailers, responseTrailers,
  httpCallResponseHeaders, httpCallResponseTrailers, getRequestHeader, getResponseHeader,
  setRequestHeader, addRequestHeader, removeRequestHeader, setResponseHeader, addResponseHeader, removeResponseHeader,
  setHeaderPairs,
} from "./headers";

// Everything else: small wrappers, one per hostcall (hostcalls.ts), plus conveniences (stream.ts).
export {
  log, lastStatus, hostErrorCount, currentTimeNanos, setTickPeriod, HostStatus, getStatus,
  encodePropertyPath, getPropertyEncoded, setPropertyEncoded,
  getHeaderMapPairs, setHeaderMapPairs, getHeaderMapValue, addHeaderMapValue, replaceHeaderMapValue,
  removeHeaderMapValue, getHeaderMapSize,
  getBufferBytes, getBufferSize, setBufferBytes,
  continueStream, closeStream, sendLocalResponseRaw, httpCallRaw,
  SharedData, getSharedData, setSharedData,
  registerSharedQueue, resolveSharedQueue, enqueueSharedQueue, dequeueSharedQueue,
  defineMetric, incrementMetric, recordMetric, getMetric,
  setEffectiveContext, done, callForeignFunction,
} from "./hostcalls";
export {
  now, getProperty, getPropertyString, getPropertyInt, setProperty, setPropertyString,
  sendLocalResponse, continueRequest, continueResponse, closeRequest, requestBody, responseBody,
  setRequestBody, setResponseBody,
} from "./stream";

// Metrics: define once, keep the object.
export { Counter, Gauge, Histogram, MetricCache } from "./metrics";

// Configuration: JSON with paths in error messages.
export { Config, ConfigIssue, ObjectReader, ArrayReader } from "./config";
