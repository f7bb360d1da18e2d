/**
 * `proxy_http_call` (reference §5.5): validated synchronously, owned by the root context, answered later with
 * `proxy_on_http_call_response(root, token, headers, body, trailers)`; timeout → Envoy's 504 local response,
 * transport failure → 503, reset → (0, 0, 0) and proxy_get_status = 11 "reset".
 */
import type { HttpCallResponseView, RootContext } from '../context.ts';
import { HeaderMap } from '../header-map.ts';
import { parsePairs } from '../pairs.ts';
import { WasmResult } from '../status.ts';
import { isKnownCluster, type HttpCallOutcome } from '../types.ts';
import type { WasmVm } from '../vm.ts';

const encoder = new TextEncoder();

/** Envoy async-client local response (timeout 504, connection failure 503). */
export function asyncClientLocalReply(status: 503 | 504, body: string): HttpCallOutcome {
  const b = encoder.encode(body);
  return {
    kind: 'response',
    headers: [[':status', String(status)], ['content-length', String(b.length)], ['content-type', 'text/plain']],
    body: b,
  };
}

function deliver(vm: WasmVm, root: RootContext, token: number, outcome: HttpCallOutcome): void {
  const call = root.httpCalls.get(token);
  if (!call || call.done) return;
  call.done = true;
  call.timeout?.cancel();
  root.httpCalls.delete(token);
  if (root.deleted || vm.failed) return;
  vm.services.post(() => {
    if (root.deleted || vm.failed) return;
    if (outcome.kind === 'reset') {
      // Envoy onHttpCallFailure: code 11 stays, the message "reset" only during this callback.
      root.status = { code: WasmResult.BrokenConnection, message: 'reset' };
      try {
        vm.callHook('proxy_on_http_call_response', root.id, token, 0, 0, 0);
      } finally {
        root.status = { code: root.status.code, message: '' };
      }
      return;
    }
    const view: HttpCallResponseView = {
      headers: new HeaderMap(outcome.headers),
      body: outcome.body ?? new Uint8Array(0),
      trailers: new HeaderMap(outcome.trailers ?? []),
    };
    root.httpCallResponse = view;
    try {
      vm.callHook('proxy_on_http_call_response', root.id, token, view.headers.size, view.body.length, view.trailers.size);
    } finally {
      root.httpCallResponse = null;
    }
  });
}

export const httpCallHostcalls = {
  proxy_http_call(
    vm: WasmVm, clusterPtr: number, clusterLen: number, headersPtr: number, headersLen: number, bodyPtr: number,
    bodyLen: number, trailersPtr: number, trailersLen: number, timeoutMs: number, tokenPtr: number,
  ): number {
    const cluster = vm.memory.string(clusterPtr, clusterLen);
    const headerBytes = vm.memory.view8(headersPtr, headersLen);
    const body = vm.memory.copy(bodyPtr, bodyLen);
    const trailerBytes = vm.memory.view8(trailersPtr, trailersLen);
    if (cluster === null || headerBytes === null || body === null || trailerBytes === null) return WasmResult.InvalidMemoryAccess;
    if (!vm.memory.writeU32(tokenPtr, 0)) return WasmResult.InvalidMemoryAccess;
    const ctx = vm.context();
    const upstream = vm.services.upstream;
    if (!ctx || !upstream || !isKnownCluster(upstream, cluster)) return WasmResult.BadArgument;
    const headers = new HeaderMap(parsePairs(headerBytes));
    if (!headers.has(':method') || !headers.has(':path') || !headers.has(':authority')) return WasmResult.BadArgument;
    if ((timeoutMs | 0) < 0) return WasmResult.BadArgument;
    if (body.length > 0) headers.set('content-length', String(body.length));
    const root = ctx.root;
    const token = vm.nextHttpCallToken;
    vm.nextHttpCallToken += 4;
    const abort = new AbortController();
    const call = { token, abort, done: false, timeout: undefined as undefined | { cancel(): void } };
    root.httpCalls.set(token, call);
    const timeout = timeoutMs >>> 0;
    if (timeout > 0) {
      call.timeout = vm.services.clock.setTimer(timeout, () => {
        abort.abort();
        deliver(vm, root, token, asyncClientLocalReply(504, 'upstream request timeout'));
      });
    }
    try {
      const complete = (outcome: HttpCallOutcome): void => deliver(vm, root, token, outcome);
      const pending = upstream.send(
        { cluster, headers: headers.entries().map(([k, v]) => [k, v]), body, trailers: parsePairs(trailerBytes), timeoutMs: timeout },
        abort.signal,
        complete,
      );
      pending?.then(complete, () =>
        complete(asyncClientLocalReply(503, 'upstream connect error or disconnect/reset before headers. reset reason: connection failure')),
      );
    } catch (e) {
      root.httpCalls.delete(token);
      call.timeout?.cancel();
      vm.violation('proxy_http_call', `transport refused the request: ${(e as Error).message}`);
      return WasmResult.InternalFailure;
    }
    return vm.memory.writeU32(tokenPtr, token) ? WasmResult.Ok : WasmResult.InvalidMemoryAccess;
  },
};

/** Cancel every pending call of a root (no callback), as Envoy does when the root context goes away. */
export function cancelHttpCalls(root: RootContext): void {
  for (const call of root.httpCalls.values()) {
    call.done = true;
    call.timeout?.cancel();
    call.abort.abort();
  }
  root.httpCalls.clear();
}
