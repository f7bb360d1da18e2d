/**
 * Header-map hostcalls (reference §2.3 "Header maps", §3.1, §4.1, §5.1, §5.2). Keys are lower-cased;
 * get returns the first value; unavailable maps → BadArgument (get: NotFound in the log phase; pairs: empty);
 * any request-header mutation clears the route cache on ABI ≤ 0.2.1.
 */
import type { HostContext } from '../context.ts';
import type { HeaderMap } from '../header-map.ts';
import { parsePairs, serializePairs } from '../pairs.ts';
import { MapType, MAX_MAP_TYPE, WasmResult } from '../status.ts';
import type { WasmVm } from '../vm.ts';
import { lookupMap } from './maps.ts';

/** Mutable map or a status (BadArgument when the map is not writable now). */
function mutableMap(vm: WasmVm, type: number): HeaderMap | number {
  const found = lookupMap(vm.context(), type, true);
  if (!found.map || !found.writable) return WasmResult.BadArgument;
  return found.map;
}

/** Envoy (≥ 1.17) clears the route cache after request-header edits for ABI ≤ 0.2.1 (all ABIs we run). */
function afterMutation(ctx: HostContext | undefined, type: number): void {
  if (type !== MapType.HttpRequestHeaders || !ctx || ctx.isRoot) return;
  ctx.callbacks?.clearRouteCache();
}

export const headersHostcalls = {
  proxy_get_header_map_value(vm: WasmVm, type: number, keyPtr: number, keyLen: number, valPtrPtr: number, valLenPtr: number): number {
    if (type >>> 0 > MAX_MAP_TYPE) return WasmResult.BadArgument;
    const key = vm.memory.string(keyPtr, keyLen);
    if (key === null) return WasmResult.InvalidMemoryAccess;
    const found = lookupMap(vm.context(), type, false);
    if (!found.map) return found.logPhase ? WasmResult.NotFound : WasmResult.BadArgument;
    const value = found.map.get(key);
    if (value === null) return WasmResult.NotFound;
    return vm.memory.returnBytes(valPtrPtr, valLenPtr, value);
  },

  /** Always Ok for 0..7: an unavailable map reads as empty (0/0). */
  proxy_get_header_map_pairs(vm: WasmVm, type: number, ptrPtr: number, lenPtr: number): number {
    if (type >>> 0 > MAX_MAP_TYPE) return WasmResult.BadArgument;
    const found = lookupMap(vm.context(), type, false);
    const bytes = found.map ? serializePairs(found.map.entries()) : new Uint8Array(0);
    return vm.memory.returnBytes(ptrPtr, lenPtr, bytes);
  },

  /** Remove every entry, then add each pair; malformed input = empty map (all headers removed). */
  proxy_set_header_map_pairs(vm: WasmVm, type: number, ptr: number, len: number): number {
    if (type >>> 0 > MAX_MAP_TYPE) return WasmResult.BadArgument;
    const bytes = vm.memory.view8(ptr, len);
    if (bytes === null) return WasmResult.InvalidMemoryAccess;
    const map = mutableMap(vm, type);
    if (typeof map === 'number') return map;
    const pairs = parsePairs(bytes);
    map.clear();
    for (const [k, v] of pairs) map.add(k, v);
    afterMutation(vm.context(), type);
    return WasmResult.Ok;
  },

  proxy_add_header_map_value(vm: WasmVm, type: number, keyPtr: number, keyLen: number, valPtr: number, valLen: number): number {
    if (type >>> 0 > MAX_MAP_TYPE) return WasmResult.BadArgument;
    const key = vm.memory.string(keyPtr, keyLen);
    const value = vm.memory.string(valPtr, valLen);
    if (key === null || value === null) return WasmResult.InvalidMemoryAccess;
    const map = mutableMap(vm, type);
    if (typeof map === 'number') return map;
    map.add(key, value);
    afterMutation(vm.context(), type);
    return WasmResult.Ok;
  },

  proxy_replace_header_map_value(vm: WasmVm, type: number, keyPtr: number, keyLen: number, valPtr: number, valLen: number): number {
    if (type >>> 0 > MAX_MAP_TYPE) return WasmResult.BadArgument;
    const key = vm.memory.string(keyPtr, keyLen);
    const value = vm.memory.string(valPtr, valLen);
    if (key === null || value === null) return WasmResult.InvalidMemoryAccess;
    const map = mutableMap(vm, type);
    if (typeof map === 'number') return map;
    map.set(key, value);
    afterMutation(vm.context(), type);
    return WasmResult.Ok;
  },

  /** Removes all values; Ok even if absent. */
  proxy_remove_header_map_value(vm: WasmVm, type: number, keyPtr: number, keyLen: number): number {
    if (type >>> 0 > MAX_MAP_TYPE) return WasmResult.BadArgument;
    const key = vm.memory.string(keyPtr, keyLen);
    if (key === null) return WasmResult.InvalidMemoryAccess;
    const map = mutableMap(vm, type);
    if (typeof map === 'number') return map;
    map.remove(key);
    afterMutation(vm.context(), type);
    return WasmResult.Ok;
  },

  /** Envoy byteSize(): sum of key and value lengths; requires a mutable map. */
  proxy_get_header_map_size(vm: WasmVm, type: number, sizePtr: number): number {
    if (type >>> 0 > MAX_MAP_TYPE) return WasmResult.BadArgument;
    const map = mutableMap(vm, type);
    if (typeof map === 'number') return map;
    return vm.memory.writeU32(sizePtr, map.byteSize()) ? WasmResult.Ok : WasmResult.InvalidMemoryAccess;
  },
};
