/**
 * Stream control and local replies (reference §2.3, §5.3, §5.4): continue/close/local reply are deferred
 * until the VM call returns; continue forgets the request maps at once.
 */
import type { StreamContext } from '../context.ts';
import { parsePairs } from '../pairs.ts';
import { MAX_STREAM_TYPE, StreamType, WasmResult } from '../status.ts';
import type { WasmVm } from '../vm.ts';

const decoder = new TextDecoder();

/** Envoy continueStream forgets request headers/body/trailers for both REQUEST and RESPONSE. */
function forgetRequestMaps(ctx: StreamContext): void {
  ctx.requestHeaders = null;
  ctx.requestTrailers = null;
}

/** Queue an action; the stream's filter runs it once the VM call returns (cpp-host DeferAfterCallActions). */
function defer(vm: WasmVm, ctx: StreamContext, action: StreamContext['deferred'][number]): void {
  ctx.deferred.push(action);
  if (ctx.deferredScheduled) return;
  ctx.deferredScheduled = true;
  vm.deferAfterCall(() => {
    ctx.deferredScheduled = false;
    ctx.onDeferred?.();
  });
}

/** `StringUtil::replaceAllEmptySpace`. */
export function sanitizeDetails(details: string): string {
  return details.replace(/[ \t\f\v\n\r]/g, '_');
}

export const streamHostcalls = {
  proxy_continue_stream(vm: WasmVm, type: number): number {
    const t = type >>> 0;
    if (t > MAX_STREAM_TYPE) return WasmResult.BadArgument;
    if (t === StreamType.Upstream) return WasmResult.Unimplemented;
    const ctx = vm.context();
    if (!ctx || ctx.isRoot || t === StreamType.Downstream) return WasmResult.Ok;
    forgetRequestMaps(ctx);
    const stream = t === StreamType.HttpRequest ? 'request' : 'response';
    defer(vm, ctx, { kind: 'continue', stream });
    return WasmResult.Ok;
  },

  /** REQUEST/RESPONSE: reset the stream with details `wasm_close_stream` (after the call). */
  proxy_close_stream(vm: WasmVm, type: number): number {
    const t = type >>> 0;
    if (t > MAX_STREAM_TYPE) return WasmResult.BadArgument;
    const ctx = vm.context();
    if (!ctx || ctx.isRoot) return WasmResult.Ok;
    const stream = (['request', 'response', 'downstream', 'upstream'] as const)[t]!;
    defer(vm, ctx, { kind: 'close', stream });
    return WasmResult.Ok;
  },

  proxy_send_local_response(
    vm: WasmVm, status: number, detailsPtr: number, detailsLen: number, bodyPtr: number, bodyLen: number,
    headersPtr: number, headersLen: number, grpcStatus: number,
  ): number {
    const details = vm.memory.view8(detailsPtr, detailsLen);
    const body = vm.memory.copy(bodyPtr, bodyLen);
    const headers = vm.memory.view8(headersPtr, headersLen);
    if (details === null || body === null || headers === null) return WasmResult.InvalidMemoryAccess;
    const ctx = vm.context();
    if (!ctx || ctx.isRoot) return WasmResult.Ok;
    const g = grpcStatus | 0;
    ctx.localReplies++;
    defer(vm, ctx, {
      kind: 'local-reply',
      reply: {
        status: status >>> 0,
        body,
        extraHeaders: parsePairs(headers),
        grpcStatus: g >= 0 && g <= 16 ? g : null,
        details: sanitizeDetails(decoder.decode(details)),
      },
    });
    return WasmResult.Ok;
  },
};
