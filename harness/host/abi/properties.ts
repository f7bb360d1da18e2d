/**
 * `proxy_get_property` / `proxy_set_property` (reference §3.3, §3.4): NUL-separated paths, values serialized like
 * Envoy's serializeValue; set stores bytes as filter state `wasm.<path>`.
 */
import { serializePairs } from '../pairs.ts';
import { WasmResult } from '../status.ts';
import type { PropertyValue } from '../types.ts';
import type { WasmVm } from '../vm.ts';
import { declaredProperties } from './foreign.ts';
import { resolveAttribute } from './property-values.ts';

const encoder = new TextEncoder();

function le64(v: bigint | number, signed: boolean): Uint8Array {
  const out = new Uint8Array(8);
  const b = BigInt(v);
  new DataView(out.buffer).setBigUint64(0, signed ? BigInt.asUintN(64, b) : BigInt.asUintN(64, b), true);
  return out;
}

/** Envoy `serializeValue`; null = SerializationFailure. */
export function serializeProperty(v: PropertyValue): Uint8Array | null {
  if (typeof v === 'string') return encoder.encode(v);
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'boolean') return Uint8Array.of(v ? 1 : 0);
  if ('int' in v) return le64(v.int, true);
  if ('uint' in v) return le64(v.uint, false);
  if ('double' in v) {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setFloat64(0, v.double, true);
    return out;
  }
  if ('durationNs' in v) return le64(v.durationNs, true);
  if ('timestampNs' in v) return le64(v.timestampNs, true);
  if ('map' in v) {
    const pairs: [Uint8Array, Uint8Array][] = [];
    for (const [k, val] of v.map) {
      const s = serializeProperty(val);
      if (s === null) return null;
      pairs.push([encoder.encode(k), s]);
    }
    return serializePairs(pairs);
  }
  if ('list' in v) {
    const pairs: [Uint8Array, Uint8Array][] = [];
    for (const item of v.list) {
      const s = serializeProperty(item);
      if (s === null) return null;
      pairs.push([s, new Uint8Array(0)]);
    }
    return serializePairs(pairs);
  }
  return null;
}

/** Index into a map (by key) or list (decimal index) for the path segments after the attribute. */
function select(value: PropertyValue | undefined, rest: string[]): PropertyValue | undefined {
  let v = value;
  for (const seg of rest) {
    if (v === undefined || typeof v !== 'object' || v instanceof Uint8Array) return undefined;
    if ('map' in v) v = v.map.find(([k]) => k === seg.toLowerCase() || k === seg)?.[1];
    else if ('list' in v) v = /^\d+$/.test(seg) ? v.list[Number(seg)] : undefined;
    else return undefined;
  }
  return v;
}

export function splitPath(path: string): string[] {
  const segments = path.split('\0');
  if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
  return segments;
}

export const propertiesHostcalls = {
  proxy_get_property(vm: WasmVm, pathPtr: number, pathLen: number, valPtrPtr: number, valLenPtr: number): number {
    const path = vm.memory.string(pathPtr, pathLen);
    if (path === null) return WasmResult.InvalidMemoryAccess;
    const ctx = vm.context();
    const whole = ctx && !ctx.isRoot ? ctx.streamInfo.filterState?.get(`wasm.${path}`) : undefined;
    let value: PropertyValue | undefined = whole;
    if (value === undefined) {
      const segments = splitPath(path);
      const found = resolveAttribute(vm, ctx, segments);
      value = select(found.value, segments.slice(found.consumed));
    }
    if (value === undefined) return WasmResult.NotFound;
    const bytes = serializeProperty(value);
    if (bytes === null) return WasmResult.SerializationFailure;
    return vm.memory.returnBytes(valPtrPtr, valLenPtr, bytes);
  },

  /** No stream → NotFound; read-only declared property → BadArgument; else filter state `wasm.<path>`. */
  proxy_set_property(vm: WasmVm, pathPtr: number, pathLen: number, valPtr: number, valLen: number): number {
    const path = vm.memory.string(pathPtr, pathLen);
    const value = vm.memory.copy(valPtr, valLen);
    if (path === null || value === null) return WasmResult.InvalidMemoryAccess;
    const ctx = vm.context();
    if (!ctx || ctx.isRoot) return WasmResult.NotFound;
    if (declaredProperties(vm).get(path)?.readonly && ctx.streamInfo.filterState?.has(`wasm.${path}`)) return WasmResult.BadArgument;
    (ctx.streamInfo.filterState ??= new Map()).set(`wasm.${path}`, value);
    return WasmResult.Ok;
  },
};
