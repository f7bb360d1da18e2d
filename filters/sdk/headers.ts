// Reading and writing header maps.
// `Headers` is a read-only view over ONE `proxy_get_header_map_pairs` result: the pair buffer is
// checked once, then walked in place; lookups compare names case-insensitively without building a
// string per header. Malformed input (host bug, odd bytes) reads as an empty map, never a trap.
import { MapTypeValues, WasmResultValues } from "./types";
import {
  getHeaderMapPairs, setHeaderMapPairs, addHeaderMapValue, replaceHeaderMapValue, removeHeaderMapValue,
  getHeaderMapValue,
} from "./hostcalls";

const MAX_PAIRS: u32 = 1024;

/** A read-only view of a header map, taken with one hostcall. */
export class Headers {
  private data: ArrayBuffer | null;
  private count: i32 = -1;        // -1 until validated
  // Walk cursor: index and byte offset of the key of pair `cursorIndex` (sequential access is O(1)).
  private cursorIndex: i32 = 0;
  private cursorOffset: usize = 0;

  constructor(pairs: ArrayBuffer | null) {
    this.data = pairs;
  }

  /** Take the current pairs of a map (`MapTypeValues`). An unavailable map is an empty view. */
  static of(map: MapTypeValues): Headers {
    return new Headers(getHeaderMapPairs(<u32>map));
  }

  /** Number of entries (a repeated header counts once per entry). */
  get size(): i32 {
    if (this.count < 0) this.validate();
    return this.count;
  }

  /** Name of entry `i` ("" when out of range). */
  keyAt(i: i32): string {
    if (!this.seek(i)) return "";
    const base = changetype<usize>(this.data);
    return decodeText(base + this.cursorOffset, this.keyLen(i));
  }

  /** Value of entry `i` ("" when out of range). */
  valueAt(i: i32): string {
    if (!this.seek(i)) return "";
    const base = changetype<usize>(this.data);
    return decodeText(base + this.cursorOffset + this.keyLen(i) + 1, this.valueLen(i));
  }

  /** Index of the first entry named `name` (ASCII case-insensitive) at or after `from`, or -1. */
  indexOf(name: string, from: i32 = 0): i32 {
    const n = this.size;
    let i = from < 0 ? 0 : from;
    if (i >= n) return -1;
    const nameLen = <usize>name.length;
    const chars = changetype<usize>(name);
    // An ASCII name (the usual case) matches only keys of the same byte length: most keys are skipped on
    // their length alone, without touching their bytes.
    let ascii = true;
    for (let j: usize = 0; j < nameLen; j++) {
      if (load<u16>(chars + (j << 1)) >= 0x80) { ascii = false; break; }
    }
    this.seek(i);
    const base = changetype<usize>(this.data);
    let offset = this.cursorOffset;
    for (; i < n; i++) {
      const keyLen = <usize>load<u32>(base + 4 + (<usize>i << 3));
      if (ascii) {
        if (keyLen == nameLen && asciiKeyEquals(base + offset, chars, nameLen)) {
          this.cursorIndex = i;
          this.cursorOffset = offset;
          return i;
        }
      } else if (this.keyEqualsUtf8(base + offset, keyLen, name)) {
        this.cursorIndex = i;
        this.cursorOffset = offset;
        return i;
      }
      offset += keyLen + <usize>load<u32>(base + 8 + (<usize>i << 3)) + 2;
    }
    return -1;
  }

  /** First value of `name`, or null when absent. */
  get(name: string): string | null {
    const i = this.indexOf(name);
    return i < 0 ? null : this.valueAt(i);
  }

  /** Whether `name` is present. */
  has(name: string): bool {
    return this.indexOf(name) >= 0;
  }

  /** Every value of `name` in order (empty array when absent). */
  getAll(name: string): Array<string> {
    const result = new Array<string>();
    let i = this.indexOf(name);
    while (i >= 0) {
      result.push(this.valueAt(i));
      i = this.indexOf(name, i + 1);
    }
    return result;
  }

  // --- internals -------------------------------------------------------------------------------

  private keyLen(i: i32): usize {
    return <usize>load<u32>(changetype<usize>(this.data) + 4 + (<usize>i << 3));
  }
  private valueLen(i: i32): usize {
    return <usize>load<u32>(changetype<usize>(this.data) + 8 + (<usize>i << 3));
  }

  /** Check the layout once (§3.1): count, lengths in range, NUL terminators, exact size. */
  private validate(): void {
    this.count = 0;
    const data = this.data;
    if (data === null) return;
    const len = <usize>data.byteLength;
    if (len < 4) return;
    const base = changetype<usize>(data);
    const n = load<u32>(base);
    if (n > MAX_PAIRS || <usize>4 + (<usize>n << 3) > len) return;
    let offset: usize = <usize>4 + (<usize>n << 3);
    for (let i: u32 = 0; i < n; i++) {
      const k = <usize>load<u32>(base + 4 + (<usize>i << 3));
      const v = <usize>load<u32>(base + 8 + (<usize>i << 3));
      if (k > len || v > len || offset + k + v + 2 > len) return;
      if (load<u8>(base + offset + k) != 0 || load<u8>(base + offset + k + 1 + v) != 0) return;
      offset += k + v + 2;
    }
    if (offset != len) return;
    this.count = <i32>n;
    this.cursorIndex = 0;
    this.cursorOffset = <usize>4 + (<usize>n << 3);
  }

  /** Move the cursor to entry `i`; false when out of range. */
  private seek(i: i32): bool {
    if (i < 0 || i >= this.size) return false;
    if (i < this.cursorIndex) {
      this.cursorIndex = 0;
      this.cursorOffset = <usize>4 + (<usize>this.count << 3);
    }
    while (this.cursorIndex < i) {
      this.cursorOffset += this.keyLen(this.cursorIndex) + this.valueLen(this.cursorIndex) + 2;
      this.cursorIndex++;
    }
    return true;
  }

  private keyEqualsUtf8(key: usize, keyLen: usize, name: string): bool {
    const encoded = String.UTF8.encode(name);
    if (<usize>encoded.byteLength != keyLen) return false;
    const e = changetype<usize>(encoded);
    for (let j: usize = 0; j < keyLen; j++) {
      let c = <u32>load<u8>(e + j);
      let b = <u32>load<u8>(key + j);
      if (c - 0x41 < 26) c |= 0x20;
      if (b - 0x41 < 26) b |= 0x20;
      if (c != b) return false;
    }
    return true;
  }
}

/** `len` key bytes at `key` equal the `len` ASCII UTF-16 units at `chars`, letters compared case-insensitively. */
function asciiKeyEquals(key: usize, chars: usize, len: usize): bool {
  for (let j: usize = 0; j < len; j++) {
    let c = <u32>load<u16>(chars + (j << 1));
    let b = <u32>load<u8>(key + j);
    if (c == b) continue;
    if (c - 0x41 < 26) c |= 0x20;
    if (b - 0x41 < 26) b |= 0x20;
    if (c != b) return false;
  }
  return true;
}

/**
 * UTF-8 bytes as a string. ASCII (nearly every header) is widened straight into a string of the exact size;
 * anything else goes through the standard decoder (which sizes for the worst case, then shrinks).
 */
function decodeText(ptr: usize, len: usize): string {
  if (len == 0) return "";
  for (let j: usize = 0; j < len; j++) {
    if (load<u8>(ptr + j) >= 0x80) return String.UTF8.decodeUnsafe(ptr, len);
  }
  const out = __new(len << 1, idof<String>());
  for (let j: usize = 0; j < len; j++) store<u16>(out + (j << 1), <u16>load<u8>(ptr + j));
  return changetype<string>(out);
}

/** A list of header pairs to send (local-reply headers, http-call headers, `setHeaderPairs`). */
export class HeaderPairs {
  private keys: Array<string> = new Array<string>();
  private values: Array<string> = new Array<string>();

  /** Append a pair; returns this for chaining. */
  add(key: string, value: string): HeaderPairs {
    this.keys.push(key);
    this.values.push(value);
    return this;
  }

  get size(): i32 { return this.keys.length; }

  /** The wire format of §3.1 (u32 count, lengths, then key\0value\0 ...). */
  serialize(): ArrayBuffer {
    const n = this.keys.length;
    let total: usize = <usize>4 + (<usize>n << 3);
    for (let i = 0; i < n; i++) {
      total += <usize>String.UTF8.byteLength(unchecked(this.keys[i])) + <usize>String.UTF8.byteLength(unchecked(this.values[i])) + 2;
    }
    const buffer = new ArrayBuffer(<i32>total);
    const base = changetype<usize>(buffer);
    store<u32>(base, <u32>n);
    let offset = base + 4 + (<usize>n << 3);
    for (let i = 0; i < n; i++) {
      const key = unchecked(this.keys[i]);
      const value = unchecked(this.values[i]);
      const kl = String.UTF8.encodeUnsafe(changetype<usize>(key), key.length, offset);
      offset += kl + 1; // the NUL is already there (zero-filled)
      const vl = String.UTF8.encodeUnsafe(changetype<usize>(value), value.length, offset);
      offset += vl + 1;
      store<u32>(base + 4 + (<usize>i << 3), <u32>kl);
      store<u32>(base + 8 + (<usize>i << 3), <u32>vl);
    }
    return buffer;
  }
}

// --- Convenience wrappers over the current stream's maps ----------------------------------------

/** Request headers (one hostcall). In `onRequestHeaders`, while the request is paused, and in `onLog`. */
export function requestHeaders(): Headers { return Headers.of(MapTypeValues.RequestHeaders); }
/** Response headers (one hostcall). In `onResponseHeaders`, while paused, and in `onLog`. */
export function responseHeaders(): Headers { return Headers.of(MapTypeValues.ResponseHeaders); }
/** Request trailers. In `onRequestTrailers`. */
export function requestTrailers(): Headers { return Headers.of(MapTypeValues.RequestTrailers); }
/** Response trailers. In `onResponseTrailers` and `onLog`. */
export function responseTrailers(): Headers { return Headers.of(MapTypeValues.ResponseTrailers); }
/** Headers of an http-call response. In the http-call callback. */
export function httpCallResponseHeaders(): Headers { return Headers.of(MapTypeValues.HttpCallResponseHeaders); }
/** Trailers of an http-call response. In the http-call callback. */
export function httpCallResponseTrailers(): Headers { return Headers.of(MapTypeValues.HttpCallResponseTrailers); }

/** One request header without taking the whole map (null when absent). Where request headers are readable. */
export function getRequestHeader(name: string): string | null { return getHeaderMapValue(<u32>MapTypeValues.RequestHeaders, name); }
/** One response header (null when absent). Where response headers are readable. */
export function getResponseHeader(name: string): string | null { return getHeaderMapValue(<u32>MapTypeValues.ResponseHeaders, name); }

/** Set (replace) a request header. In `onRequestHeaders` or while the request is paused. */
export function setRequestHeader(name: string, value: string): WasmResultValues { return replaceHeaderMapValue(<u32>MapTypeValues.RequestHeaders, name, value); }
/** Append a request header value. In `onRequestHeaders` or while the request is paused. */
export function addRequestHeader(name: string, value: string): WasmResultValues { return addHeaderMapValue(<u32>MapTypeValues.RequestHeaders, name, value); }
/** Remove a request header. In `onRequestHeaders` or while the request is paused. */
export function removeRequestHeader(name: string): WasmResultValues { return removeHeaderMapValue(<u32>MapTypeValues.RequestHeaders, name); }
/** Set (replace) a response header. In `onResponseHeaders` or while the response is paused. */
export function setResponseHeader(name: string, value: string): WasmResultValues { return replaceHeaderMapValue(<u32>MapTypeValues.ResponseHeaders, name, value); }
/** Append a response header value. In `onResponseHeaders` or while the response is paused. */
export function addResponseHeader(name: string, value: string): WasmResultValues { return addHeaderMapValue(<u32>MapTypeValues.ResponseHeaders, name, value); }
/** Remove a response header. In `onResponseHeaders` or while the response is paused. */
export function removeResponseHeader(name: string): WasmResultValues { return removeHeaderMapValue(<u32>MapTypeValues.ResponseHeaders, name); }
/** Replace a whole map with `pairs`. While the map is writable. */
export function setHeaderPairs(map: MapTypeValues, pairs: HeaderPairs): WasmResultValues { return setHeaderMapPairs(<u32>map, pairs.serialize()); }
