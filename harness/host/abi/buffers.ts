/**
 * Buffer hostcalls (reference §2.3 "Buffers", §4.2, §6.2): bodies of the current callback (empty outside),
 * VM configuration always, plugin configuration only during on_configure, http-call body only during
 * on_http_call_response. Body writes: start 0 → drop `len` then prepend; start ≥ size → append.
 */
import type { HostContext } from '../context.ts';
import { BufferType, MAX_BUFFER_TYPE, WasmResult } from '../status.ts';
import type { WasmVm } from '../vm.ts';

const EMPTY = new Uint8Array(0);

/** Readable bytes of a buffer type, or null (NotFound). */
function readBuffer(vm: WasmVm, ctx: HostContext | undefined, type: number): Uint8Array | null {
  switch (type) {
    case BufferType.HttpRequestBody:
      return ctx && !ctx.isRoot ? ctx.requestBody ?? EMPTY : null;
    case BufferType.HttpResponseBody:
      return ctx && !ctx.isRoot ? ctx.responseBody ?? EMPTY : null;
    case BufferType.HttpCallResponseBody:
      return ctx?.root.httpCallResponse?.body ?? null;
    case BufferType.VmConfiguration:
      return vm.plugin.vmConfiguration;
    case BufferType.PluginConfiguration:
      return ctx && ctx.isRoot ? ctx.pluginConfiguration : null;
    default:
      return null;
  }
}

export const buffersHostcalls = {
  /** Range clamped to the buffer; empty → Ok with 0/0. `max = 0xFFFFFFFF` reads to the end. */
  proxy_get_buffer_bytes(vm: WasmVm, type: number, start: number, maxLen: number, ptrPtr: number, lenPtr: number): number {
    if (type >>> 0 > MAX_BUFFER_TYPE) return WasmResult.BadArgument;
    const buf = readBuffer(vm, vm.context(), type >>> 0);
    if (buf === null) return WasmResult.NotFound;
    const from = Math.min(start >>> 0, buf.length);
    const to = Math.min(from + (maxLen >>> 0), buf.length);
    return vm.memory.returnBytes(ptrPtr, lenPtr, buf.subarray(from, to));
  },

  /** Writes size and flags (always 0). */
  proxy_get_buffer_status(vm: WasmVm, type: number, lenPtr: number, flagsPtr: number): number {
    if (type >>> 0 > MAX_BUFFER_TYPE) return WasmResult.BadArgument;
    const buf = readBuffer(vm, vm.context(), type >>> 0);
    if (buf === null) return WasmResult.NotFound;
    if (!vm.memory.writeU32(lenPtr, buf.length) || !vm.memory.writeU32(flagsPtr, 0)) return WasmResult.InvalidMemoryAccess;
    return WasmResult.Ok;
  },

  proxy_set_buffer_bytes(vm: WasmVm, type: number, start: number, len: number, dataPtr: number, dataLen: number): number {
    const t = type >>> 0;
    if (t > MAX_BUFFER_TYPE) return WasmResult.BadArgument;
    const ctx = vm.context();
    const current = readBuffer(vm, ctx, t);
    if (current === null) return WasmResult.NotFound;
    if (t !== BufferType.HttpRequestBody && t !== BufferType.HttpResponseBody) return WasmResult.BadArgument;
    const stream = ctx as Exclude<HostContext, { isRoot: true }>;
    const inCallback = t === BufferType.HttpRequestBody ? stream.requestBody !== null : stream.responseBody !== null;
    if (!inCallback) return WasmResult.NotFound;
    const data = vm.memory.copy(dataPtr, dataLen);
    if (data === null) return WasmResult.InvalidMemoryAccess;
    const s = start >>> 0;
    let next: Uint8Array;
    if (s === 0) {
      const rest = current.subarray(Math.min(len >>> 0, current.length));
      next = new Uint8Array(data.length + rest.length);
      next.set(data, 0);
      next.set(rest, data.length);
    } else if (s >= current.length) {
      next = new Uint8Array(current.length + data.length);
      next.set(current, 0);
      next.set(data, current.length);
    } else {
      return WasmResult.BadArgument;
    }
    if (t === BufferType.HttpRequestBody) {
      stream.requestBody = next;
      stream.requestBodyChanged = true;
    } else {
      stream.responseBody = next;
      stream.responseBodyChanged = true;
    }
    return WasmResult.Ok;
  },
};
