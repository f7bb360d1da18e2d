/**
 * Host-side state of the plugin's contexts (cpp-host ContextBase / Envoy Context): what each hostcall may
 * reach right now (maps, buffers per phase — reference §4.1, §5.1) and the actions deferred until the VM call
 * returns (continue, close, local reply — §5.3, §5.4).
 */
import type { HeaderMap } from './header-map.ts';
import type { VmPluginInfo } from './vm.ts';
import type { FilterCallbacks, LocalReplyRequest, StreamInfo, TimerHandle } from './types.ts';

/** An in-flight `proxy_http_call`. */
export interface PendingHttpCall {
  token: number;
  abort: AbortController;
  timeout?: TimerHandle;
  done: boolean;
}

/** The response being delivered in `proxy_on_http_call_response` (maps 6/7, buffer 4). */
export interface HttpCallResponseView {
  headers: HeaderMap;
  body: Uint8Array;
  trailers: HeaderMap;
}

export class RootContext {
  readonly isRoot = true;
  /** Set by http_call failure: `proxy_get_status` reads it. */
  status = { code: 0, message: '' };
  tickPeriodMs = 0;
  tickTimer: TimerHandle | null = null;
  readonly httpCalls = new Map<number, PendingHttpCall>();
  /** During proxy_on_configure only. */
  pluginConfiguration: Uint8Array | null = null;
  httpCallResponse: HttpCallResponseView | null = null;
  /** on_done returned false: waiting for proxy_done. */
  awaitingDone = false;
  deleted = false;

  /**
   * The plugin this root serves. Plugins sharing a VM (same vm_id, code and VM configuration) each get their own
   * root, so `plugin_name` / `plugin_root_id` and the log attribution are answered from here, not from the VM.
   */
  constructor(readonly id: number, readonly plugin: VmPluginInfo) {}

  get rootId(): string {
    return this.plugin.rootId;
  }

  get root(): RootContext {
    return this;
  }
}

/** Deferred work scheduled by hostcalls, run after the VM call returns (cpp-host DeferAfterCallActions). */
export type DeferredAction =
  | { kind: 'continue'; stream: 'request' | 'response' }
  | { kind: 'close'; stream: 'request' | 'response' | 'downstream' | 'upstream' }
  | { kind: 'local-reply'; reply: LocalReplyRequest };

export class StreamContext {
  readonly isRoot = false;
  callbacks: FilterCallbacks | null = null;
  streamInfo: StreamInfo = {};

  // Maps Envoy currently holds pointers to (null = not available now).
  requestHeaders: HeaderMap | null = null;
  requestTrailers: HeaderMap | null = null;
  responseHeaders: HeaderMap | null = null;
  responseTrailers: HeaderMap | null = null;
  /** Log phase: maps readable (read-only) from the access-log arguments. */
  inLog = false;
  logMaps: { requestHeaders: HeaderMap | null; responseHeaders: HeaderMap | null; responseTrailers: HeaderMap | null } | null = null;
  /** Last body chunk (end_of_stream) of request/response: first mutating trailer call creates the trailer map. */
  canAddRequestTrailers = false;
  canAddResponseTrailers = false;

  /** Body readable through buffer type 0/1 during the body callbacks (empty outside them). */
  requestBody: Uint8Array | null = null;
  responseBody: Uint8Array | null = null;
  requestBodyChanged = false;
  responseBodyChanged = false;

  /** Incremented by proxy_send_local_response: a callback that saw it grow is forced to stop. */
  localReplies = 0;
  readonly deferred: DeferredAction[] = [];
  /** Set by the stream's filter: runs `deferred` (called after the VM call that queued them returns). */
  onDeferred: (() => void) | null = null;
  deferredScheduled = false;
  created = false;
  done = false;

  constructor(readonly id: number, readonly root: RootContext) {}
}

export type HostContext = RootContext | StreamContext;
