// Conveniences over the hostcall wrappers for the common cases in stream hooks.
import { BufferTypeValues, StreamTypeValues, WasmResultValues } from "./types";
import {
  currentTimeNanos, encodePropertyPath, getPropertyEncoded, setPropertyEncoded, sendLocalResponseRaw,
  continueStream, closeStream, getBufferBytes, setBufferBytes,
} from "./hostcalls";
import { HeaderPairs } from "./headers";

/** Wall-clock milliseconds since the Unix epoch. Any callback. */
export function now(): u64 {
  return currentTimeNanos() / 1000000;
}

/**
 * Property value by path segments, e.g. `getProperty(["source", "address"])` (joined with 0x00 on the wire).
 * null when missing. Any callback; request attributes only while the request headers are held.
 */
export function getProperty(path: Array<string>): ArrayBuffer | null {
  return getPropertyEncoded(encodePropertyPath(path));
}

/** Property value decoded as UTF-8 (null when missing). */
export function getPropertyString(path: Array<string>): string | null {
  const value = getProperty(path);
  return value === null ? null : String.UTF8.decode(value);
}

/** Integer property (int/uint/duration/timestamp: 8 bytes little-endian); `fallback` when missing or not 8 bytes. */
export function getPropertyInt(path: Array<string>, fallback: i64 = 0): i64 {
  const value = getProperty(path);
  if (value === null || value.byteLength != 8) return fallback;
  return load<i64>(changetype<usize>(value));
}

/** Store a filter-state value (readable later with getProperty of the same path). Stream callbacks. */
export function setProperty(path: Array<string>, value: ArrayBuffer): WasmResultValues {
  return setPropertyEncoded(encodePropertyPath(path), value);
}

export function setPropertyString(path: Array<string>, value: string): WasmResultValues {
  return setProperty(path, String.UTF8.encode(value));
}

/**
 * Reply locally with `status` and a text body; `details` becomes the response code details (fixed per filter).
 * The reply is sent after the callback returns and the callback's result is forced to stop.
 * Request/response callbacks, or an http-call callback (the SDK already set the effective context).
 */
export function sendLocalResponse(status: u32, details: string, body: string = "", headers: HeaderPairs | null = null,
  grpcStatus: i32 = -1): WasmResultValues {
  return sendLocalResponseRaw(status, details, body.length == 0 ? null : String.UTF8.encode(body),
    headers === null ? null : headers.serialize(), grpcStatus);
}

/** Resume a request paused by returning Stop from onRequestHeaders (takes effect after the callback). */
export function continueRequest(): WasmResultValues { return continueStream(<u32>StreamTypeValues.Request); }
/** Resume a paused response. */
export function continueResponse(): WasmResultValues { return continueStream(<u32>StreamTypeValues.Response); }
/** Reset the stream (the client gets no response). */
export function closeRequest(): WasmResultValues { return closeStream(<u32>StreamTypeValues.Request); }

/** The request body bytes visible now (the chunk, or everything buffered). In onRequestBody. */
export function requestBody(size: u32): ArrayBuffer | null {
  return getBufferBytes(<u32>BufferTypeValues.HttpRequestBody, 0, size);
}
/** The response body bytes visible now. In onResponseBody. */
export function responseBody(size: u32): ArrayBuffer | null {
  return getBufferBytes(<u32>BufferTypeValues.HttpResponseBody, 0, size);
}
/** Replace the visible request body. In onRequestBody. */
export function setRequestBody(data: ArrayBuffer): WasmResultValues {
  return setBufferBytes(<u32>BufferTypeValues.HttpRequestBody, 0, 0xffffffff, data);
}
/** Replace the visible response body. In onResponseBody. */
export function setResponseBody(data: ArrayBuffer): WasmResultValues {
  return setBufferBytes(<u32>BufferTypeValues.HttpResponseBody, 0, 0xffffffff, data);
}
