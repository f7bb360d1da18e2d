/**
 * `proxy_call_foreign_function` with the functions Envoy registers (reference §5.10): compress/uncompress
 * (zlib), declare_property, set_envoy_filter_state (minimal: stores bytes in the stream's filter state).
 * `clear_route_cache` exists only for ABI > 0.2.1, so for the ABIs emulated here it is unknown (NotFound).
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { WasmResult } from '../status.ts';
import type { WasmVm } from '../vm.ts';

type ForeignResult = Uint8Array | number;
type ForeignFunction = (vm: WasmVm, args: Uint8Array) => ForeignResult;

/** Fields of a protobuf message: field number → last value (varint as number, bytes as Uint8Array). */
function decodeProto(bytes: Uint8Array): Map<number, number | Uint8Array> | null {
  const out = new Map<number, number | Uint8Array>();
  let p = 0;
  const varint = (): number | null => {
    let v = 0;
    let shift = 0;
    for (;;) {
      if (p >= bytes.length || shift > 49) return null;
      const b = bytes[p++]!;
      v += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return v;
      shift += 7;
    }
  };
  while (p < bytes.length) {
    const key = varint();
    if (key === null) return null;
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) {
      const v = varint();
      if (v === null) return null;
      out.set(field, v);
    } else if (wire === 2) {
      const len = varint();
      if (len === null || p + len > bytes.length) return null;
      out.set(field, bytes.subarray(p, p + len));
      p += len;
    } else {
      return null;
    }
  }
  return out;
}

const decoder = new TextDecoder();
const declared = new WeakMap<WasmVm, Map<string, { readonly: boolean }>>();

/** Declared properties of a VM (used by proxy_set_property to refuse writes to read-only ones). */
export function declaredProperties(vm: WasmVm): Map<string, { readonly: boolean }> {
  let m = declared.get(vm);
  if (!m) declared.set(vm, (m = new Map()));
  return m;
}

const FOREIGN_FUNCTIONS: Record<string, ForeignFunction> = {
  compress(_vm, args) {
    try {
      return new Uint8Array(deflateSync(args));
    } catch {
      return WasmResult.SerializationFailure;
    }
  },
  uncompress(_vm, args) {
    try {
      return new Uint8Array(inflateSync(args));
    } catch {
      return WasmResult.SerializationFailure;
    }
  },
  /** DeclarePropertyArguments {1 name, 2 readonly, 3 type, 4 schema, 5 span}. */
  declare_property(vm, args) {
    const msg = decodeProto(args);
    const name = msg?.get(1);
    if (!msg || !(name instanceof Uint8Array)) return WasmResult.BadArgument;
    const props = declaredProperties(vm);
    const key = decoder.decode(name);
    if (props.has(key)) return WasmResult.BadArgument;
    props.set(key, { readonly: msg.get(2) === 1 });
    return new Uint8Array(0);
  },
  /** SetEnvoyFilterStateArguments {1 path, 2 value, 3 span}: stored as filter state `path` on the stream. */
  set_envoy_filter_state(vm, args) {
    const msg = decodeProto(args);
    const path = msg?.get(1);
    if (!msg || !(path instanceof Uint8Array)) return WasmResult.BadArgument;
    const ctx = vm.context();
    if (!ctx || ctx.isRoot) return WasmResult.NotFound;
    const value = msg.get(2);
    const state = (ctx.streamInfo.filterState ??= new Map());
    state.set(decoder.decode(path), value instanceof Uint8Array ? value.slice() : new Uint8Array(0));
    return new Uint8Array(0);
  },
};

export const FOREIGN_FUNCTION_NAMES: readonly string[] = Object.keys(FOREIGN_FUNCTIONS);

export const foreignHostcalls = {
  /** Unknown name → NotFound; result allocated in the guest unless `*res_ptr` is 0. */
  proxy_call_foreign_function(vm: WasmVm, namePtr: number, nameLen: number, argsPtr: number, argsLen: number, resPtrPtr: number, resLenPtr: number): number {
    const name = vm.memory.string(namePtr, nameLen);
    const args = vm.memory.copy(argsPtr, argsLen);
    if (name === null || args === null) return WasmResult.InvalidMemoryAccess;
    const fn = Object.hasOwn(FOREIGN_FUNCTIONS, name) ? FOREIGN_FUNCTIONS[name] : undefined;
    if (!fn) return WasmResult.NotFound;
    const result = fn(vm, args);
    if (typeof result === 'number') return result;
    if (resPtrPtr === 0) return WasmResult.Ok;
    return vm.memory.returnBytes(resPtrPtr, resLenPtr, result);
  },
};
