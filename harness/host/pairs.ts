/**
 * Proxy-wasm pair (header map) wire format (reference §3.1; cpp-host `pairs_util.cc`):
 * u32 N, N×(u32 key_len, u32 value_len), then key\0value\0 per pair; all little-endian.
 */
import { PAIRS_MAX_BYTES, PAIRS_MAX_COUNT } from './status.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Serialize pairs; an empty list gives an empty array (the host then writes 0/0). One allocation. */
export function serializePairs(pairs: readonly (readonly [string | Uint8Array, string | Uint8Array])[]): Uint8Array {
  const n = pairs.length;
  if (n === 0) return new Uint8Array(0);
  let size = 4 + 8 * n;
  for (const [k, v] of pairs) size += byteLength(k) + byteLength(v) + 2;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, n, true);
  let p = 4 + 8 * n;
  for (let i = 0; i < n; i++) {
    const [k, v] = pairs[i]!;
    const kl = put(out, p, k);
    p += kl + 1;
    const vl = put(out, p, v);
    p += vl + 1;
    view.setUint32(4 + 8 * i, kl, true);
    view.setUint32(8 + 8 * i, vl, true);
  }
  return out;
}

function byteLength(x: string | Uint8Array): number {
  return typeof x === 'string' ? Buffer.byteLength(x) : x.length;
}

/** Write `x` at `at`; returns the byte length written. */
function put(out: Uint8Array, at: number, x: string | Uint8Array): number {
  if (typeof x !== 'string') {
    out.set(x, at);
    return x.length;
  }
  return encoder.encodeInto(x, out.subarray(at)).written;
}

/**
 * Parse plugin-supplied pairs with cpp-host's limits: > 1 MiB, > 1024 pairs, overrun, missing NUL or trailing
 * bytes → the whole input is an empty map (no error).
 */
export function parsePairs(bytes: Uint8Array): [string, string][] {
  if (bytes.length < 4 || bytes.length > PAIRS_MAX_BYTES) return [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(0, true);
  if (n > PAIRS_MAX_COUNT) return [];
  let p = 4 + 8 * n;
  if (p > bytes.length) return [];
  const out: [string, string][] = [];
  for (let i = 0; i < n; i++) {
    const kl = view.getUint32(4 + 8 * i, true);
    const vl = view.getUint32(8 + 8 * i, true);
    if (p + kl + 1 + vl + 1 > bytes.length) return [];
    if (bytes[p + kl] !== 0 || bytes[p + kl + 1 + vl] !== 0) return [];
    const key = decoder.decode(bytes.subarray(p, p + kl));
    p += kl + 1;
    const value = decoder.decode(bytes.subarray(p, p + vl));
    p += vl + 1;
    out.push([key, value]);
  }
  if (p !== bytes.length) return [];
  return out;
}
