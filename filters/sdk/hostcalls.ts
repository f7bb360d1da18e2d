// One safe wrapper per proxy-wasm ABI 0.2.0 hostcall, each declared right above its wrapper.
// Rules: never trap; "not found" is null (or 0 / false); any other non-Ok status is returned or counted
// (`hostErrorCount()`), and `lastStatus()` tells the status of the most recent hostcall.
// `proxy_clear_route_cache` is deliberately absent: ABI 0.2.0 does not offer it (Envoy clears the
// route cache itself when request headers change).
import { WasmResultValues, LogLevelValues, MetricTypeValues } from "./types";
import {
  ptrSlot, sizeSlot, valueSlot, extraSlot, clearSlots, takeSlotBuffer, scratch, utf8Max, encodeAt,
} from "./memory";

let status_: WasmResultValues = WasmResultValues.Ok;
let hostErrors_: u32 = 0;

/** Status of the most recent hostcall made through this module. */
export function lastStatus(): WasmResultValues { return status_; }
/** Number of hostcalls that returned an unexpected status (anything but Ok, NotFound, Empty, CasMismatch). */
export function hostErrorCount(): u32 { return hostErrors_; }

function record(status: u32): WasmResultValues {
  status_ = <WasmResultValues>status;
  if (status != WasmResultValues.Ok && status != WasmResultValues.NotFound &&
      status != WasmResultValues.Empty && status != WasmResultValues.CasMismatch) {
    hostErrors_++;
  }
  return status_;
}

// @ts-ignore: decorator
@inline function ptrOf(buffer: ArrayBuffer | null): usize {
  return buffer === null ? 0 : changetype<usize>(buffer);
}
// @ts-ignore: decorator
@inline function lenOf(buffer: ArrayBuffer | null): usize {
  return buffer === null ? 0 : <usize>buffer.byteLength;
}

// ---------------------------------------------------------------------------------------------
// Logging, time, timers, status

// @ts-ignore: decorator
@external("env", "proxy_log")
declare function proxy_log(level: u32, messagePtr: usize, messageLen: usize): u32;
/** Log `message` at `level` on Envoy's `wasm` logger. Any callback (also top-level code). */
export function log(level: LogLevelValues, message: string): WasmResultValues {
  const at = scratch(utf8Max(message));
  if (at != 0) return record(proxy_log(<u32>level, at, encodeAt(message, at)));
  const bytes = String.UTF8.encode(message);
  return record(proxy_log(<u32>level, changetype<usize>(bytes), bytes.byteLength));
}

// @ts-ignore: decorator
@external("env", "proxy_get_current_time_nanoseconds")
declare function proxy_get_current_time_nanoseconds(resultPtr: usize): u32;
/** Wall-clock time in nanoseconds since the Unix epoch (0 on host error). Any callback. */
export function currentTimeNanos(): u64 {
  store<u64>(valueSlot(), 0);
  record(proxy_get_current_time_nanoseconds(valueSlot()));
  return load<u64>(valueSlot());
}

// @ts-ignore: decorator
@external("env", "proxy_set_tick_period_milliseconds")
declare function proxy_set_tick_period_milliseconds(periodMs: u32): u32;
/** Arm (period > 0) or stop (0) the tick timer of the current root context. Root or stream callbacks. */
export function setTickPeriod(periodMs: u32): WasmResultValues {
  return record(proxy_set_tick_period_milliseconds(periodMs));
}

/** Status code and message the host recorded for the root context (e.g. after a failed http call). */
export class HostStatus {
  constructor(public code: u32, public message: string) {}
}
// @ts-ignore: decorator
@external("env", "proxy_get_status")
declare function proxy_get_status(codePtr: usize, messagePtrPtr: usize, messageLenPtr: usize): u32;
/** Read the root's status (code 11 BrokenConnection + "reset" after a failed http call). In `onHttpCallResponse`. */
export function getStatus(): HostStatus {
  clearSlots();
  store<u32>(extraSlot(), 0);
  record(proxy_get_status(extraSlot(), ptrSlot(), sizeSlot()));
  const message = takeSlotBuffer();
  return new HostStatus(load<u32>(extraSlot()), message === null ? "" : String.UTF8.decode(message));
}

// ---------------------------------------------------------------------------------------------
// Properties

/** Encode path segments as the host expects them: joined with a single 0x00 byte, no trailing 0x00. */
export function encodePropertyPath(segments: Array<string>): ArrayBuffer {
  let total = segments.length > 0 ? segments.length - 1 : 0;
  for (let i = 0; i < segments.length; i++) total += String.UTF8.byteLength(unchecked(segments[i]));
  const buffer = new ArrayBuffer(total);
  let offset = changetype<usize>(buffer);
  for (let i = 0; i < segments.length; i++) {
    if (i > 0) store<u8>(offset++, 0);
    const segment = unchecked(segments[i]);
    offset += String.UTF8.encodeUnsafe(changetype<usize>(segment), segment.length, offset);
  }
  return buffer;
}

// @ts-ignore: decorator
@external("env", "proxy_get_property")
declare function proxy_get_property(pathPtr: usize, pathLen: usize, valuePtrPtr: usize, valueLenPtr: usize): u32;
/**
 * Raw value of a property whose path was encoded with `encodePropertyPath` (encode once, reuse).
 * null when missing (NotFound) or on any error; an empty value is an empty buffer. Any callback; request
 * properties only while the request is held (§3.4).
 */
export function getPropertyEncoded(path: ArrayBuffer): ArrayBuffer | null {
  clearSlots();
  const status = record(proxy_get_property(changetype<usize>(path), path.byteLength, ptrSlot(), sizeSlot()));
  const value = takeSlotBuffer();
  if (status != WasmResultValues.Ok) return null;
  if (value === null) return new ArrayBuffer(0);
  return value;
}

// @ts-ignore: decorator
@external("env", "proxy_set_property")
declare function proxy_set_property(pathPtr: usize, pathLen: usize, valuePtr: usize, valueLen: usize): u32;
/** Store a filter-state value under the encoded path. Stream callbacks (NotFound in root callbacks). */
export function setPropertyEncoded(path: ArrayBuffer, value: ArrayBuffer): WasmResultValues {
  return record(proxy_set_property(changetype<usize>(path), path.byteLength, changetype<usize>(value), value.byteLength));
}

// ---------------------------------------------------------------------------------------------
// Header maps (map type: MapTypeValues)

// @ts-ignore: decorator
@external("env", "proxy_get_header_map_pairs")
declare function proxy_get_header_map_pairs(map: u32, ptrPtr: usize, lenPtr: usize): u32;
/**
 * Serialized pairs of a header map (null when empty or unavailable). Request headers: in
 * `onRequestHeaders`, while paused, in `onLog`; response headers likewise; http-call maps in
 * `onHttpCallResponse`. Use `Headers` (headers.ts) to read it.
 */
export function getHeaderMapPairs(map: u32): ArrayBuffer | null {
  clearSlots();
  const status = record(proxy_get_header_map_pairs(map, ptrSlot(), sizeSlot()));
  const pairs = takeSlotBuffer();
  if (status != WasmResultValues.Ok) return null;
  return pairs;
}

// @ts-ignore: decorator
@external("env", "proxy_set_header_map_pairs")
declare function proxy_set_header_map_pairs(map: u32, ptr: usize, len: usize): u32;
/** Replace the whole map with serialized pairs (see `HeaderPairs`). While the map is writable. */
export function setHeaderMapPairs(map: u32, pairs: ArrayBuffer): WasmResultValues {
  return record(proxy_set_header_map_pairs(map, changetype<usize>(pairs), pairs.byteLength));
}

// @ts-ignore: decorator
@external("env", "proxy_get_header_map_value")
declare function proxy_get_header_map_value(map: u32, keyPtr: usize, keyLen: usize, valuePtrPtr: usize, valueLenPtr: usize): u32;
/** First value of one header (null when absent or the map is unavailable). Where the map is readable. */
export function getHeaderMapValue(map: u32, key: string): string | null {
  clearSlots();
  let status: WasmResultValues;
  const at = scratch(utf8Max(key));
  if (at != 0) {
    status = record(proxy_get_header_map_value(map, at, encodeAt(key, at), ptrSlot(), sizeSlot()));
  } else {
    const keyBytes = String.UTF8.encode(key);
    status = record(proxy_get_header_map_value(map, changetype<usize>(keyBytes), keyBytes.byteLength, ptrSlot(), sizeSlot()));
  }
  const value = takeSlotBuffer();
  if (status != WasmResultValues.Ok) return null;
  return value === null ? "" : String.UTF8.decode(value);
}

// @ts-ignore: decorator
@external("env", "proxy_add_header_map_value")
declare function proxy_add_header_map_value(map: u32, keyPtr: usize, keyLen: usize, valuePtr: usize, valueLen: usize): u32;
/** Append a header value (Envoy merges "inline" headers with a comma). While the map is writable. */
export function addHeaderMapValue(map: u32, key: string, value: string): WasmResultValues {
  const at = scratch(utf8Max(key) + utf8Max(value));
  if (at != 0) {
    const kl = encodeAt(key, at);
    return record(proxy_add_header_map_value(map, at, kl, at + kl, encodeAt(value, at + kl)));
  }
  const k = String.UTF8.encode(key);
  const v = String.UTF8.encode(value);
  return record(proxy_add_header_map_value(map, changetype<usize>(k), k.byteLength, changetype<usize>(v), v.byteLength));
}

// @ts-ignore: decorator
@external("env", "proxy_replace_header_map_value")
declare function proxy_replace_header_map_value(map: u32, keyPtr: usize, keyLen: usize, valuePtr: usize, valueLen: usize): u32;
/** Set a header to exactly this value (all previous values removed). While the map is writable. */
export function replaceHeaderMapValue(map: u32, key: string, value: string): WasmResultValues {
  const at = scratch(utf8Max(key) + utf8Max(value));
  if (at != 0) {
    const kl = encodeAt(key, at);
    return record(proxy_replace_header_map_value(map, at, kl, at + kl, encodeAt(value, at + kl)));
  }
  const k = String.UTF8.encode(key);
  const v = String.UTF8.encode(value);
  return record(proxy_replace_header_map_value(map, changetype<usize>(k), k.byteLength, changetype<usize>(v), v.byteLength));
}

// @ts-ignore: decorator
@external("env", "proxy_remove_header_map_value")
declare function proxy_remove_header_map_value(map: u32, keyPtr: usize, keyLen: usize): u32;
/** Remove every value of a header (Ok when absent). While the map is writable. */
export function removeHeaderMapValue(map: u32, key: string): WasmResultValues {
  const at = scratch(utf8Max(key));
  if (at != 0) return record(proxy_remove_header_map_value(map, at, encodeAt(key, at)));
  const k = String.UTF8.encode(key);
  return record(proxy_remove_header_map_value(map, changetype<usize>(k), k.byteLength));
}

// @ts-ignore: decorator
@external("env", "proxy_get_header_map_size")
declare function proxy_get_header_map_size(map: u32, sizePtr: usize): u32;
/** Envoy's byte size of the map (sum of key and value lengths), or -1 when unavailable. While writable. */
export function getHeaderMapSize(map: u32): i64 {
  store<u32>(valueSlot(), 0);
  const status = record(proxy_get_header_map_size(map, valueSlot()));
  return status == WasmResultValues.Ok ? <i64>load<u32>(valueSlot()) : -1;
}

// ---------------------------------------------------------------------------------------------
// Buffers (buffer type: BufferTypeValues)

// @ts-ignore: decorator
@external("env", "proxy_get_buffer_bytes")
declare function proxy_get_buffer_bytes(type: u32, start: u32, maxLen: u32, ptrPtr: usize, lenPtr: usize): u32;
/**
 * Up to `maxLen` bytes from `start` (0xFFFFFFFF = to the end). null when unavailable; an empty buffer when
 * empty. Bodies in their body callbacks; plugin configuration in `onConfigure`; VM configuration always;
 * http-call body in `onHttpCallResponse`.
 */
export function getBufferBytes(type: u32, start: u32, maxLen: u32): ArrayBuffer | null {
  clearSlots();
  const status = record(proxy_get_buffer_bytes(type, start, maxLen, ptrSlot(), sizeSlot()));
  const bytes = takeSlotBuffer();
  if (status != WasmResultValues.Ok) return null;
  if (bytes === null) return new ArrayBuffer(0);
  return bytes;
}

// @ts-ignore: decorator
@external("env", "proxy_get_buffer_status")
declare function proxy_get_buffer_status(type: u32, lenPtr: usize, flagsPtr: usize): u32;
/** Current size of a buffer, or -1 when unavailable. Same availability as `getBufferBytes`. */
export function getBufferSize(type: u32): i64 {
  store<u64>(valueSlot(), 0);
  const status = record(proxy_get_buffer_status(type, valueSlot(), valueSlot() + 4));
  return status == WasmResultValues.Ok ? <i64>load<u32>(valueSlot()) : -1;
}

// @ts-ignore: decorator
@external("env", "proxy_set_buffer_bytes")
declare function proxy_set_buffer_bytes(type: u32, start: u32, len: u32, dataPtr: usize, dataLen: usize): u32;
/**
 * Envoy body semantics: start 0 drops the first `len` bytes then prepends `data` ((0, size) replaces all);
 * start >= size appends. In body callbacks.
 */
export function setBufferBytes(type: u32, start: u32, len: u32, data: ArrayBuffer): WasmResultValues {
  return record(proxy_set_buffer_bytes(type, start, len, changetype<usize>(data), data.byteLength));
}

// ---------------------------------------------------------------------------------------------
// Stream control and local replies (stream type: StreamTypeValues)

// @ts-ignore: decorator
@external("env", "proxy_continue_stream")
declare function proxy_continue_stream(type: u32): u32;
/** Resume a paused stream after the callback returns (edit headers first). Stream callbacks or after set_effective_context. */
export function continueStream(type: u32): WasmResultValues {
  return record(proxy_continue_stream(type));
}

// @ts-ignore: decorator
@external("env", "proxy_close_stream")
declare function proxy_close_stream(type: u32): u32;
/** Reset the stream (the client sees no response). Stream callbacks. */
export function closeStream(type: u32): WasmResultValues {
  return record(proxy_close_stream(type));
}

// @ts-ignore: decorator
@external("env", "proxy_send_local_response")
declare function proxy_send_local_response(status: u32, detailsPtr: usize, detailsLen: usize, bodyPtr: usize, bodyLen: usize,
  headersPtr: usize, headersLen: usize, grpcStatus: i32): u32;
/**
 * Send a local reply after the callback returns (serialized extra headers from `HeaderPairs`, or null).
 * `grpcStatus` -1 = not gRPC. Request/response callbacks, or `onHttpCallResponse` after set_effective_context.
 */
export function sendLocalResponseRaw(status: u32, details: string, body: ArrayBuffer | null, headers: ArrayBuffer | null,
  grpcStatus: i32): WasmResultValues {
  const at = scratch(utf8Max(details));
  if (at != 0) {
    return record(proxy_send_local_response(status, at, encodeAt(details, at), ptrOf(body), lenOf(body),
      ptrOf(headers), lenOf(headers), grpcStatus));
  }
  const d = String.UTF8.encode(details);
  return record(proxy_send_local_response(status, changetype<usize>(d), d.byteLength, ptrOf(body), lenOf(body),
    ptrOf(headers), lenOf(headers), grpcStatus));
}

// ---------------------------------------------------------------------------------------------
// HTTP callouts

// @ts-ignore: decorator
@external("env", "proxy_http_call")
declare function proxy_http_call(clusterPtr: usize, clusterLen: usize, headersPtr: usize, headersLen: usize, bodyPtr: usize, bodyLen: usize,
  trailersPtr: usize, trailersLen: usize, timeoutMs: u32, tokenPtr: usize): u32;
/**
 * Start an HTTP call to a cluster; returns the token, or 0 when the host refused (see `lastStatus()`:
 * BadArgument for an unknown cluster or missing :method/:path/:authority). Any callback; the response
 * arrives on the root context. Prefer `httpCall` (http.ts), which routes the response to a callback.
 */
export function httpCallRaw(cluster: string, headers: ArrayBuffer, body: ArrayBuffer | null, trailers: ArrayBuffer | null,
  timeoutMs: u32): u32 {
  const c = String.UTF8.encode(cluster);
  store<u32>(valueSlot(), 0);
  const status = record(proxy_http_call(changetype<usize>(c), c.byteLength, changetype<usize>(headers), headers.byteLength,
    ptrOf(body), lenOf(body), ptrOf(trailers), lenOf(trailers), timeoutMs, valueSlot()));
  return status == WasmResultValues.Ok ? load<u32>(valueSlot()) : 0;
}

// ---------------------------------------------------------------------------------------------
// Shared data (process-wide per vm_id)

/** A shared-data value and its CAS token. */
export class SharedData {
  constructor(public value: ArrayBuffer, public cas: u32) {}
}
// @ts-ignore: decorator
@external("env", "proxy_get_shared_data")
declare function proxy_get_shared_data(keyPtr: usize, keyLen: usize, valuePtrPtr: usize, valueLenPtr: usize, casPtr: usize): u32;
/** Value and CAS of a key; null when absent. Any callback. */
export function getSharedData(key: string): SharedData | null {
  const k = String.UTF8.encode(key);
  clearSlots();
  store<u32>(extraSlot(), 0);
  const status = record(proxy_get_shared_data(changetype<usize>(k), k.byteLength, ptrSlot(), sizeSlot(), extraSlot()));
  const value = takeSlotBuffer();
  if (status != WasmResultValues.Ok) return null;
  if (value === null) return new SharedData(new ArrayBuffer(0), load<u32>(extraSlot()));
  return new SharedData(value, load<u32>(extraSlot()));
}

// @ts-ignore: decorator
@external("env", "proxy_set_shared_data")
declare function proxy_set_shared_data(keyPtr: usize, keyLen: usize, valuePtr: usize, valueLen: usize, cas: u32): u32;
/** Store a value; `cas` 0 always writes, otherwise it must match (else CasMismatch). Any callback. */
export function setSharedData(key: string, value: ArrayBuffer, cas: u32 = 0): WasmResultValues {
  const k = String.UTF8.encode(key);
  return record(proxy_set_shared_data(changetype<usize>(k), k.byteLength, changetype<usize>(value), value.byteLength, cas));
}

// ---------------------------------------------------------------------------------------------
// Shared queues

// @ts-ignore: decorator
@external("env", "proxy_register_shared_queue")
declare function proxy_register_shared_queue(namePtr: usize, nameLen: usize, tokenPtr: usize): u32;
/** Create or re-open a queue of this vm_id; this root receives `onQueueReady`. Token, or 0 on failure. Root callbacks. */
export function registerSharedQueue(name: string): u32 {
  const n = String.UTF8.encode(name);
  store<u32>(valueSlot(), 0);
  const status = record(proxy_register_shared_queue(changetype<usize>(n), n.byteLength, valueSlot()));
  return status == WasmResultValues.Ok ? load<u32>(valueSlot()) : 0;
}

// @ts-ignore: decorator
@external("env", "proxy_resolve_shared_queue")
declare function proxy_resolve_shared_queue(vmIdPtr: usize, vmIdLen: usize, namePtr: usize, nameLen: usize, tokenPtr: usize): u32;
/** Token of an existing queue ("" vm_id = own), or 0 when it does not exist. Any callback. */
export function resolveSharedQueue(vmId: string, name: string): u32 {
  const v = String.UTF8.encode(vmId);
  const n = String.UTF8.encode(name);
  store<u32>(valueSlot(), 0);
  const status = record(proxy_resolve_shared_queue(changetype<usize>(v), v.byteLength, changetype<usize>(n), n.byteLength, valueSlot()));
  return status == WasmResultValues.Ok ? load<u32>(valueSlot()) : 0;
}

// @ts-ignore: decorator
@external("env", "proxy_enqueue_shared_queue")
declare function proxy_enqueue_shared_queue(token: u32, dataPtr: usize, dataLen: usize): u32;
/** Append to a queue (NotFound for an unknown token). Any callback. */
export function enqueueSharedQueue(token: u32, data: ArrayBuffer): WasmResultValues {
  return record(proxy_enqueue_shared_queue(token, changetype<usize>(data), data.byteLength));
}

// @ts-ignore: decorator
@external("env", "proxy_dequeue_shared_queue")
declare function proxy_dequeue_shared_queue(token: u32, dataPtrPtr: usize, dataLenPtr: usize): u32;
/** Pop the oldest item; null when empty (`lastStatus()` Empty) or unknown (NotFound). Any callback. */
export function dequeueSharedQueue(token: u32): ArrayBuffer | null {
  clearSlots();
  const status = record(proxy_dequeue_shared_queue(token, ptrSlot(), sizeSlot()));
  const data = takeSlotBuffer();
  if (status != WasmResultValues.Ok) return null;
  if (data === null) return new ArrayBuffer(0);
  return data;
}

// ---------------------------------------------------------------------------------------------
// Metrics (prefer Counter / Gauge / Histogram in metrics.ts)

// @ts-ignore: decorator
@external("env", "proxy_define_metric")
declare function proxy_define_metric(type: u32, namePtr: usize, nameLen: usize, idPtr: usize): u32;
/** Define a metric; its id, or 0 on failure. Any callback (define once, at configure time). */
export function defineMetric(type: MetricTypeValues, name: string): u32 {
  store<u32>(valueSlot(), 0);
  let status: WasmResultValues;
  const at = scratch(utf8Max(name));
  if (at != 0) {
    status = record(proxy_define_metric(<u32>type, at, encodeAt(name, at), valueSlot()));
  } else {
    const n = String.UTF8.encode(name);
    status = record(proxy_define_metric(<u32>type, changetype<usize>(n), n.byteLength, valueSlot()));
  }
  return status == WasmResultValues.Ok ? load<u32>(valueSlot()) : 0;
}

// @ts-ignore: decorator
@external("env", "proxy_increment_metric")
declare function proxy_increment_metric(id: u32, delta: i64): u32;
/** Counter: delta must be > 0; gauge: add (negative subtracts); histogram: BadArgument. Any callback. */
export function incrementMetric(id: u32, delta: i64): WasmResultValues {
  return record(proxy_increment_metric(id, delta));
}

// @ts-ignore: decorator
@external("env", "proxy_record_metric")
declare function proxy_record_metric(id: u32, value: u64): u32;
/** Counter: add; gauge: set; histogram: record a sample. Any callback. */
export function recordMetric(id: u32, value: u64): WasmResultValues {
  return record(proxy_record_metric(id, value));
}

// @ts-ignore: decorator
@external("env", "proxy_get_metric")
declare function proxy_get_metric(id: u32, valuePtr: usize): u32;
/** Current value of a counter or gauge (0 with `lastStatus()` != Ok on failure; histograms: BadArgument). Any callback. */
export function getMetric(id: u32): u64 {
  store<u64>(valueSlot(), 0);
  const status = record(proxy_get_metric(id, valueSlot()));
  return status == WasmResultValues.Ok ? load<u64>(valueSlot()) : 0;
}

// ---------------------------------------------------------------------------------------------
// System

// @ts-ignore: decorator
@external("env", "proxy_set_effective_context")
declare function proxy_set_effective_context(contextId: u32): u32;
/** Make later hostcalls of this VM entry act on `contextId` (BadArgument when it is gone). Any callback. */
export function setEffectiveContext(contextId: u32): WasmResultValues {
  return record(proxy_set_effective_context(contextId));
}

// @ts-ignore: decorator
@external("env", "proxy_done")
declare function proxy_done(): u32;
/** Tell the host a root that returned false from `onDone` has finished. Root callbacks. */
export function done(): WasmResultValues {
  return record(proxy_done());
}

// @ts-ignore: decorator
@external("env", "proxy_call_foreign_function")
declare function proxy_call_foreign_function(namePtr: usize, nameLen: usize, argsPtr: usize, argsLen: usize,
  resultPtrPtr: usize, resultLenPtr: usize): u32;
/** Call an Envoy foreign function (e.g. "compress"); its result, or null on failure (NotFound = unknown name). Any callback. */
export function callForeignFunction(name: string, args: ArrayBuffer): ArrayBuffer | null {
  const n = String.UTF8.encode(name);
  clearSlots();
  const status = record(proxy_call_foreign_function(changetype<usize>(n), n.byteLength, changetype<usize>(args), args.byteLength,
    ptrSlot(), sizeSlot()));
  const result = takeSlotBuffer();
  if (status != WasmResultValues.Ok) return null;
  if (result === null) return new ArrayBuffer(0);
  return result;
}
