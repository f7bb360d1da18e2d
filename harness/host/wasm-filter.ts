/**
 * The plugin's per-stream context as an Envoy HTTP filter (Envoy `Context` as StreamFilter): lazy context
 * creation, callback status conversion (§1.6), map availability per phase, deferred actions, fail-closed/open
 * on a trap (§6.4), teardown on_log → on_done → on_delete.
 */
import type { RootContext, StreamContext } from './context.ts';
import type { HeaderMap } from './header-map.ts';
import { FilterDataStatus, FilterHeadersStatus, FilterTrailersStatus, GrpcStatus } from './status.ts';
import type { BodyChunk, FilterCallbacks, HttpFilter } from './types.ts';
import type { WasmVm } from './vm.ts';

export interface WasmFilterOwner {
  readonly name: string;
  readonly allowOnHeadersStopIteration: boolean;
  readonly failOpen: boolean;
  /** The VM failed during this stream: the plugin applies its policy to later requests. */
  onVmFailed(vm: WasmVm): void;
}

const EMPTY = new Uint8Array(0);

export function convertHeadersStatus(raw: number | undefined, allowStopIteration: boolean): FilterHeadersStatus {
  if (raw === undefined) return FilterHeadersStatus.Continue;
  const r = raw >>> 0;
  if (r === FilterHeadersStatus.StopIteration) return allowStopIteration ? FilterHeadersStatus.StopIteration : FilterHeadersStatus.StopAllIterationAndWatermark;
  if (r === FilterHeadersStatus.ContinueAndEndStream) return FilterHeadersStatus.Continue;
  if (r > FilterHeadersStatus.StopAllIterationAndWatermark) return FilterHeadersStatus.StopAllIterationAndWatermark;
  return r as FilterHeadersStatus;
}

export function convertDataStatus(raw: number | undefined): FilterDataStatus {
  if (raw === undefined) return FilterDataStatus.Continue;
  const r = raw >>> 0;
  return (r > FilterDataStatus.StopIterationNoBuffer ? FilterDataStatus.StopIterationNoBuffer : r) as FilterDataStatus;
}

export function convertTrailersStatus(raw: number | undefined): FilterTrailersStatus {
  if (raw === undefined) return FilterTrailersStatus.Continue;
  return (raw >>> 0 === 0 ? FilterTrailersStatus.Continue : FilterTrailersStatus.StopIteration) as FilterTrailersStatus;
}

export class WasmHttpFilter implements HttpFilter {
  private callbacks!: FilterCallbacks;
  private ctx: StreamContext | null = null;
  private failedHere = false;

  constructor(
    private readonly owner: WasmFilterOwner,
    private readonly vm: WasmVm,
    private readonly root: RootContext,
  ) {}

  get name(): string {
    return this.owner.name;
  }

  /** Stream context id (null until the context was created). */
  get contextId(): number | null {
    return this.ctx?.id ?? null;
  }

  setCallbacks(callbacks: FilterCallbacks): void {
    this.callbacks = callbacks;
  }

  private ensureContext(): StreamContext | null {
    if (this.ctx) return this.ctx;
    if (this.vm.failed) return null;
    const ctx = this.vm.createStreamContext(this.root);
    ctx.callbacks = this.callbacks;
    ctx.streamInfo = this.callbacks.streamInfo;
    ctx.onDeferred = () => this.runDeferred(ctx);
    this.ctx = ctx;
    this.vm.callHook('proxy_on_context_create', ctx.id, this.root.id);
    ctx.created = true;
    return this.vm.failed ? null : ctx;
  }

  private runDeferred(ctx: StreamContext): void {
    while (ctx.deferred.length) {
      const a = ctx.deferred.shift()!;
      if (a.kind === 'continue') {
        if (a.stream === 'request') this.callbacks.continueDecoding();
        else this.callbacks.continueEncoding();
      } else if (a.kind === 'close') {
        if (a.stream === 'request' || a.stream === 'response') {
          this.callbacks.streamInfo.responseCodeDetails ??= 'wasm_close_stream';
          this.callbacks.resetStream('wasm_close_stream');
        }
      } else {
        this.callbacks.sendLocalReply(a.reply);
      }
    }
  }

  /** After a trap: Envoy failStream per policy. Returns true when the stream must stop. */
  private failStream(): boolean {
    if (!this.failedHere) {
      this.failedHere = true;
      this.owner.onVmFailed(this.vm);
    }
    if (this.owner.failOpen) return false;
    const reply = { status: 503, body: EMPTY, extraHeaders: [], grpcStatus: GrpcStatus.Unavailable, details: 'wasm_fail_stream' };
    if (this.callbacks.responseHeadersSent) this.callbacks.resetStream('wasm_fail_stream');
    else this.callbacks.sendLocalReply(reply);
    return true;
  }


  decodeHeaders(headers: HeaderMap, endStream: boolean): FilterHeadersStatus {
    const ctx = this.ensureContext();
    if (!ctx) return this.vm.failed && this.failStream() ? FilterHeadersStatus.StopAllIterationAndWatermark : FilterHeadersStatus.Continue;
    const replies = ctx.localReplies;
    ctx.requestHeaders = headers;
    const raw = this.vm.callHook('proxy_on_request_headers', ctx.id, headers.size, endStream ? 1 : 0);
    if (this.vm.failed) return this.failStream() ? FilterHeadersStatus.StopAllIterationAndWatermark : FilterHeadersStatus.Continue;
    const status = ctx.localReplies > replies ? FilterHeadersStatus.StopAllIterationAndWatermark : convertHeadersStatus(raw, this.owner.allowOnHeadersStopIteration);
    if (status === FilterHeadersStatus.Continue) ctx.requestHeaders = null;
    return status;
  }

  decodeData(chunk: BodyChunk, endStream: boolean): FilterDataStatus {
    const ctx = this.ctx;
    if (!ctx || this.vm.failed) return this.vm.failed && !this.owner.failOpen ? FilterDataStatus.StopIterationNoBuffer : FilterDataStatus.Continue;
    const replies = ctx.localReplies;
    ctx.requestBody = chunk.bytes;
    ctx.requestBodyChanged = false;
    ctx.canAddRequestTrailers = endStream;
    const raw = this.vm.callHook('proxy_on_request_body', ctx.id, chunk.bytes.length, endStream ? 1 : 0);
    if (ctx.requestBodyChanged && ctx.requestBody) chunk.bytes = ctx.requestBody;
    ctx.requestBody = null;
    ctx.canAddRequestTrailers = false;
    if (this.vm.failed) return this.failStream() ? FilterDataStatus.StopIterationNoBuffer : FilterDataStatus.Continue;
    return ctx.localReplies > replies ? FilterDataStatus.StopIterationNoBuffer : convertDataStatus(raw);
  }

  decodeTrailers(trailers: HeaderMap): FilterTrailersStatus {
    const ctx = this.ctx;
    if (!ctx || this.vm.failed) return this.vm.failed && !this.owner.failOpen ? FilterTrailersStatus.StopIteration : FilterTrailersStatus.Continue;
    const replies = ctx.localReplies;
    ctx.requestTrailers = trailers;
    const raw = this.vm.callHook('proxy_on_request_trailers', ctx.id, trailers.size);
    if (this.vm.failed) return this.failStream() ? FilterTrailersStatus.StopIteration : FilterTrailersStatus.Continue;
    const status = ctx.localReplies > replies ? FilterTrailersStatus.StopIteration : convertTrailersStatus(raw);
    if (status === FilterTrailersStatus.Continue) ctx.requestTrailers = null;
    return status;
  }

  encodeHeaders(headers: HeaderMap, endStream: boolean): FilterHeadersStatus {
    const ctx = this.ctx;
    // A filter whose context does not exist (placed after the one that replied locally) is skipped.
    if (!ctx || this.vm.failed) return FilterHeadersStatus.Continue;
    const replies = ctx.localReplies;
    ctx.responseHeaders = headers;
    const raw = this.vm.callHook('proxy_on_response_headers', ctx.id, headers.size, endStream ? 1 : 0);
    if (this.vm.failed) return this.failStream() ? FilterHeadersStatus.StopAllIterationAndWatermark : FilterHeadersStatus.Continue;
    const status = ctx.localReplies > replies ? FilterHeadersStatus.StopAllIterationAndWatermark : convertHeadersStatus(raw, this.owner.allowOnHeadersStopIteration);
    if (status === FilterHeadersStatus.Continue) ctx.responseHeaders = null;
    return status;
  }

  encodeData(chunk: BodyChunk, endStream: boolean): FilterDataStatus {
    const ctx = this.ctx;
    if (!ctx || this.vm.failed) return FilterDataStatus.Continue;
    const replies = ctx.localReplies;
    ctx.responseBody = chunk.bytes;
    ctx.responseBodyChanged = false;
    ctx.canAddResponseTrailers = endStream;
    const raw = this.vm.callHook('proxy_on_response_body', ctx.id, chunk.bytes.length, endStream ? 1 : 0);
    if (ctx.responseBodyChanged && ctx.responseBody) chunk.bytes = ctx.responseBody;
    ctx.responseBody = null;
    ctx.canAddResponseTrailers = false;
    if (this.vm.failed) return this.failStream() ? FilterDataStatus.StopIterationNoBuffer : FilterDataStatus.Continue;
    return ctx.localReplies > replies ? FilterDataStatus.StopIterationNoBuffer : convertDataStatus(raw);
  }

  encodeTrailers(trailers: HeaderMap): FilterTrailersStatus {
    const ctx = this.ctx;
    if (!ctx || this.vm.failed) return FilterTrailersStatus.Continue;
    const replies = ctx.localReplies;
    ctx.responseTrailers = trailers;
    const raw = this.vm.callHook('proxy_on_response_trailers', ctx.id, trailers.size);
    if (this.vm.failed) return this.failStream() ? FilterTrailersStatus.StopIteration : FilterTrailersStatus.Continue;
    const status = ctx.localReplies > replies ? FilterTrailersStatus.StopIteration : convertTrailersStatus(raw);
    if (status === FilterTrailersStatus.Continue) ctx.responseTrailers = null;
    return status;
  }

  /** Access-log phase; a filter that never saw the request gets its context created now. */
  log(requestHeaders: HeaderMap | null, responseHeaders: HeaderMap | null, responseTrailers: HeaderMap | null): void {
    if (this.vm.failed) return;
    const ctx = this.ensureContext();
    if (!ctx) return;
    ctx.requestHeaders = null;
    ctx.responseHeaders = null;
    ctx.requestTrailers = null;
    ctx.responseTrailers = null;
    ctx.inLog = true;
    ctx.logMaps = { requestHeaders, responseHeaders, responseTrailers };
    try {
      this.vm.callHook('proxy_on_log', ctx.id);
    } finally {
      ctx.inLog = false;
      ctx.logMaps = null;
    }
  }

  /** on_done then on_delete; nothing after a VM failure. */
  onDestroy(): void {
    const ctx = this.ctx;
    if (!ctx || ctx.done) return;
    ctx.done = true;
    if (this.vm.failed) return;
    this.vm.callHook('proxy_on_done', ctx.id);
    this.vm.callHook('proxy_on_delete', ctx.id);
    this.vm.contexts.delete(ctx.id);
  }
}
