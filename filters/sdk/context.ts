// The filter model: proxy-runtime's RootContext/Context classes, with every default hook made silent
// (proxy-runtime 0.1.8 logs in most of them), a correct onConfigure, and http calls routed by token.
// The context registry used by the dispatcher (exports.ts) lives here too.
import {
  BaseContext,
  RootContext as RuntimeRootContext,
  Context as RuntimeContext,
  Headers as RuntimeHeaders,
} from "@solo-io/proxy-runtime";
import { BufferTypeValues, PeerTypeValues, FilterStatusValues, MapTypeValues, WasmResultValues } from "./types";
import { getBufferBytes, httpCallRaw, setEffectiveContext, done as proxyDone, continueStream } from "./hostcalls";
import { isLiveStream } from "./registry";
import { HeaderPairs, Headers } from "./headers";

export { BaseContext };

/** Callback of `httpCall`: `origin` is the context that made the call (cast it to your class). */
export type HttpCallback = (origin: BaseContext, numHeaders: u32, bodySize: usize, numTrailers: u32) => void;

class PendingCall {
  constructor(public origin: BaseContext, public callback: HttpCallback) {}
}

/**
 * Plugin configuration bytes as a string ("" when size is 0 or unavailable). Only in `onConfigure`,
 * with the size the host passed. Uses a correct `proxy_get_buffer_bytes(7, 0, size, &ptr, &len)`.
 */
export function pluginConfiguration(size: u32): string {
  if (size == 0) return "";
  const bytes = getBufferBytes(<u32>BufferTypeValues.PluginConfiguration, 0, size);
  return bytes === null ? "" : String.UTF8.decode(bytes);
}

/** Plugin configuration as raw bytes (null when size is 0 or unavailable). Only in `onConfigure`. */
export function pluginConfigurationBytes(size: u32): ArrayBuffer | null {
  if (size == 0) return null;
  return getBufferBytes(<u32>BufferTypeValues.PluginConfiguration, 0, size);
}

/** VM configuration as a string ("" when empty). Any callback (normally `onStart`). */
export function vmConfiguration(size: usize): string {
  if (size == 0) return "";
  const bytes = getBufferBytes(<u32>BufferTypeValues.VmConfiguration, 0, <u32>size);
  return bytes === null ? "" : String.UTF8.decode(bytes);
}

/** One per plugin (root_id) in the VM: holds settings and shared state; creates the stream contexts. */
export class RootContext extends RuntimeRootContext {
  /** Raw configuration stored by the default `onConfigure`. */
  configuration: string = "";
  private pendingCalls: Map<u32, PendingCall> = new Map<u32, PendingCall>();

  constructor(context_id: u32) {
    super(context_id);
  }

  /** Override to create your stream context. */
  createContext(context_id: u32): RuntimeContext {
    return new Context(context_id, this);
  }

  /** VM start; return false to refuse the plugin. Default: true. */
  onStart(vm_configuration_size: usize): bool { return true; }
  /** Not called by Envoy; kept for completeness. Default: true. */
  validateConfiguration(configuration_size: usize): bool { return true; }
  /** Default: keep the configuration text in `configuration` and accept it. Return false to refuse the plugin. */
  onConfigure(configuration_size: u32): bool {
    this.configuration = pluginConfiguration(configuration_size);
    return true;
  }
  getConfiguration(): string { return this.configuration; }
  /** Timer callback (see `setTickPeriod`). */
  onTick(): void {}
  /** A shared queue registered by this root has data. */
  onQueueReady(token: u32): void {}
  /** Plugin shutdown: pending http calls are dropped without callbacks. Return false to finish later with `done()`. */
  onDone(): bool {
    this.pendingCalls.clear();
    return true;
  }
  onDelete(): void {}
  /** Finish a shutdown that `onDone` deferred (calls `proxy_done`). */
  done(): void { proxyDone(); }
  /** Drop pending http calls (no callbacks). */
  cancelPendingRequests(): void { this.pendingCalls.clear(); }

  /**
   * Start an http call whose response is passed to `callback(origin, numHeaders, bodySize, numTrailers)`,
   * with the effective context set to `origin`. Returns the token, 0 when refused (see `lastStatus()`).
   * If `origin` is a stream that ended before the response, the callback is not called.
   */
  callHttp(cluster: string, headers: HeaderPairs, body: ArrayBuffer | null, timeoutMs: u32, origin: BaseContext,
    callback: HttpCallback, trailers: HeaderPairs | null = null): u32 {
    const token = httpCallRaw(cluster, headers.serialize(), body, trailers === null ? null : trailers.serialize(), timeoutMs);
    if (token != 0) this.pendingCalls.set(token, new PendingCall(origin, callback));
    return token;
  }

  /**
   * proxy-runtime's own http call (logs, and its responses would never reach its callback here): refused with
   * Unimplemented. Use `callHttp` or `httpCall`.
   */
  httpCall(cluster: string, headers: RuntimeHeaders, body: ArrayBuffer, trailers: RuntimeHeaders, timeout_milliseconds: u32,
    origin_context: BaseContext, cb: (origin_context: RuntimeContext, headers: u32, body_size: usize, trailers: u32) => void): WasmResultValues {
    return WasmResultValues.Unimplemented;
  }

  /** Number of http calls waiting for a response. */
  get pendingHttpCalls(): i32 { return this.pendingCalls.size; }

  onHttpCallResponse(token: u32, headers: u32, body_size: u32, trailers: u32): void {
    if (!this.pendingCalls.has(token)) return;
    const call = this.pendingCalls.get(token);
    this.pendingCalls.delete(token);
    const originId = call.origin.context_id;
    const response = new HttpCallResponse(headers, body_size, trailers);
    if (originId != this.context_id) {
      if (!isLiveStream(originId)) return;
      // The response maps belong to the root: read them before hostcalls move to the stream.
      response.load();
      setEffectiveContext(originId);
    }
    currentResponse = response;
    call.callback(call.origin, headers, body_size, trailers);
    currentResponse = null;
  }
}

/**
 * The response of the http call whose callback is running (see `httpCallResponse()`). Headers, body and
 * trailers are read once; for calls made from a stream they are read before the SDK switches the effective
 * context to that stream (after the switch the host no longer serves them).
 */
export class HttpCallResponse {
  private loaded: bool = false;
  private headers_: Headers = new Headers(null);
  private body_: ArrayBuffer | null = null;
  private trailers_: Headers = new Headers(null);
  constructor(public numHeaders: u32, public bodySize: u32, public numTrailers: u32) {}

  /** True when the call failed without a response (reset, too large): see `getStatus()` for the reason. */
  get failed(): bool { return this.numHeaders == 0; }

  load(): void {
    if (this.loaded) return;
    this.loaded = true;
    if (this.numHeaders > 0) this.headers_ = Headers.of(MapTypeValues.HttpCallResponseHeaders);
    if (this.bodySize > 0) this.body_ = getBufferBytes(<u32>BufferTypeValues.HttpCallResponseBody, 0, this.bodySize);
    if (this.numTrailers > 0) this.trailers_ = Headers.of(MapTypeValues.HttpCallResponseTrailers);
  }

  get headers(): Headers { this.load(); return this.headers_; }
  /** The body (null when empty). */
  get body(): ArrayBuffer | null { this.load(); return this.body_; }
  get trailers(): Headers { this.load(); return this.trailers_; }
  /** `:status` as a number (0 when absent). */
  get status(): i32 {
    const s = this.headers.get(":status");
    if (s === null) return 0;
    return I32.parseInt(s);
  }
}

let currentResponse: HttpCallResponse | null = null;

/** The response of the http call whose callback is running; an empty failed response outside callbacks. */
export function httpCallResponse(): HttpCallResponse {
  const r = currentResponse;
  if (r === null) return new HttpCallResponse(0, 0, 0);
  return r;
}

/** One per HTTP stream. Override the hooks you need; every default continues silently. */
export class Context extends RuntimeContext {
  constructor(context_id: u32, root: RootContext) {
    super(context_id, root);
  }

  /** The root context (typed as the SDK's RootContext; proxy-runtime's `root_context` field, not a second reference). */
  get root(): RootContext { return changetype<RootContext>(this.root_context); }

  createContext(): RuntimeContext { return this; }
  continueRequest(): void { continueStream(0); }
  onNewConnection(): FilterStatusValues { return FilterStatusValues.Continue; }
  onDownstreamData(size: usize, end: bool): FilterStatusValues { return FilterStatusValues.Continue; }
  onUpstreamData(size: usize, end: bool): FilterStatusValues { return FilterStatusValues.Continue; }
  onDownstreamConnectionClose(t: PeerTypeValues): void {}
  onUpstreamConnectionClose(t: PeerTypeValues): void {}
  /** Access-log phase (before onDone). Request/response headers are readable here. */
  onLog(): void {}
  onDone(): bool { return true; }
  onDelete(): void {}
}

/** Start an http call from a stream; see `RootContext.callHttp`. */
export function httpCall(from: Context, cluster: string, headers: HeaderPairs, body: ArrayBuffer | null, timeoutMs: u32,
  callback: HttpCallback): u32 {
  return from.root.callHttp(cluster, headers, body, timeoutMs, from, callback);
}
