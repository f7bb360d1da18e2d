/**
 * Public types of the host emulator: what a data plane or a test supplies (StreamInfo, transports, clock)
 * and the HTTP filter interface the FilterManager drives (Envoy's StreamDecoderFilter/StreamEncoderFilter).
 */
import type { HeaderMap } from './header-map.ts';
import type { FilterDataStatus, FilterHeadersStatus, FilterTrailersStatus, LogLevelName } from './status.ts';

export type { LogLevelName as LogLevel } from './status.ts';

/** One line logged by a plugin (proxy_log or WASI stdout/stderr) or by the host about a plugin. */
export interface LogEntry {
  level: LogLevelName;
  message: string;
  /** Plugin name when the line comes from a plugin. */
  plugin?: string;
  /** True when the host (not the guest) wrote the line, e.g. "Function: proxy_on_request_headers failed: …". */
  host?: boolean;
}

/** Time source. `now()` = wall-clock ms since epoch; timers fire from `setTimer`. */
export interface Clock {
  now(): number;
  /** Monotonic nanoseconds (WASI clock id 1). */
  monotonicNs(): bigint;
  setTimer(delayMs: number, fire: () => void): TimerHandle;
}
export interface TimerHandle {
  cancel(): void;
}

/** An HTTP request made by `proxy_http_call` (headers already lower-cased). */
export interface HttpCallRequest {
  cluster: string;
  headers: [string, string][];
  body: Uint8Array;
  trailers: [string, string][];
  timeoutMs: number;
}
/** What came back: a response (including Envoy's own 503/504 local responses) or a reset. */
export type HttpCallOutcome =
  | { kind: 'response'; headers: [string, string][]; body?: Uint8Array; trailers?: [string, string][] }
  | { kind: 'reset' };

/** How `proxy_http_call` reaches a cluster. `clusters()` lists known names; unknown → BadArgument. */
export interface HttpCallTransport {
  clusters(): Iterable<string>;
  /** Optional fast membership test (default: search `clusters()`). */
  hasCluster?(name: string): boolean;
  /**
   * Start the call. Either resolve the returned promise with the outcome, or call `complete` (synchronously or
   * later; first answer wins). A rejected promise counts as a connection failure (503). The host adds the
   * timeout itself (504) and aborts `signal` on timeout or when the root context goes away.
   */
  send(request: HttpCallRequest, signal: AbortSignal, complete: (outcome: HttpCallOutcome) => void): Promise<HttpCallOutcome> | void;
}

/** TLS facts of a downstream (or upstream) connection, as Envoy's SSL connection info exposes them. */
export interface TlsInfo {
  sni?: string;
  version?: string;                  // e.g. 'TLSv1.3'
  mtls?: boolean;                    // peer certificate presented and validated
  uriSanPeerCertificate?: string[];
  dnsSanPeerCertificate?: string[];
  subjectPeerCertificate?: string;
  uriSanLocalCertificate?: string[];
  dnsSanLocalCertificate?: string[];
  subjectLocalCertificate?: string;
  sha256PeerCertificateDigest?: string;
  peerCertificate?: string;          // PEM, url-encoded as Envoy's %DOWNSTREAM_PEER_CERT%
}

/** Everything properties (§3.4) read about a stream; a data plane fills it, tests pass a partial one. */
export interface StreamInfo {
  /** Downstream peer `ip:port`. */
  sourceAddress?: string;
  /** Listener-side local address `ip:port`. */
  destinationAddress?: string;
  connectionId?: number;
  tls?: TlsInfo;
  protocol?: 'HTTP/1.0' | 'HTTP/1.1' | 'HTTP/2' | 'HTTP/3';
  /** First byte received, ms since epoch (defaults to the clock at stream creation). */
  startTimeMs?: number;
  routeName?: string;
  virtualHostName?: string;
  clusterName?: string;
  filterChainName?: string;
  listenerDirection?: number;
  upstreamAddress?: string;
  upstreamLocalAddress?: string;
  upstreamTls?: TlsInfo;
  upstreamRequestAttemptCount?: number;
  responseCode?: number;
  responseCodeDetails?: string;
  responseFlags?: number;
  bytesReceived?: number;
  bytesSent?: number;
  /** Dynamic metadata as protobuf bytes of envoy.config.core.v3.Metadata (opaque to the host). */
  dynamicMetadata?: Uint8Array;
  /** Filter state entries (string keys → bytes). Wasm `proxy_set_property` writes `wasm.<path>` here. */
  filterState?: Map<string, Uint8Array>;
  /** Extra values by full property path joined with '.', e.g. 'xds.node.id' or 'node.metadata.X' — test hook. */
  extraProperties?: Record<string, PropertyValue>;
}

/** A typed property value as Envoy's serializeValue would encode it (§3.4). */
export type PropertyValue =
  | string
  | Uint8Array
  | boolean
  | { int: bigint | number }
  | { uint: bigint | number }
  | { double: number }
  | { durationNs: bigint | number }
  | { timestampNs: bigint | number }
  | { map: [string, PropertyValue][] }
  | { list: PropertyValue[] };

/** Local reply as Envoy's sendLocalReply takes it. */
export interface LocalReplyRequest {
  status: number;
  body: Uint8Array;
  /** Applied to the built headers (Envoy's `modify_headers`). */
  extraHeaders: [string, string][];
  /** 0..16 or null for "no gRPC status". */
  grpcStatus: number | null;
  details: string;
}

/** What a filter can do to its stream (Envoy's StreamDecoderFilterCallbacks + StreamEncoderFilterCallbacks). */
export interface FilterCallbacks {
  readonly streamInfo: StreamInfo;
  continueDecoding(): void;
  continueEncoding(): void;
  sendLocalReply(reply: LocalReplyRequest): void;
  /** Reset the stream (no HTTP response); `details` becomes response code details if none yet. */
  resetStream(details: string): void;
  clearRouteCache(): void;
  /** Request headers of the stream (null before decodeHeaders). */
  requestHeaders(): HeaderMap | null;
  /** Create the request/response trailers map during the last data chunk (Envoy addDecodedTrailers/addEncodedTrailers). */
  addDecodedTrailers(): HeaderMap;
  addEncodedTrailers(): HeaderMap;
  /** True once response headers went to the client. */
  readonly responseHeadersSent: boolean;
}

/** A body chunk passed to a filter: the filter may mutate `bytes` via `set`. */
export interface BodyChunk {
  bytes: Uint8Array;
}

/** Envoy HTTP filter (decoder + encoder). The Wasm plugin's stream context implements this. */
export interface HttpFilter {
  readonly name: string;
  setCallbacks(callbacks: FilterCallbacks): void;
  decodeHeaders(headers: HeaderMap, endStream: boolean): FilterHeadersStatus;
  decodeData(data: BodyChunk, endStream: boolean): FilterDataStatus;
  decodeTrailers(trailers: HeaderMap): FilterTrailersStatus;
  encodeHeaders(headers: HeaderMap, endStream: boolean): FilterHeadersStatus;
  encodeData(data: BodyChunk, endStream: boolean): FilterDataStatus;
  encodeTrailers(trailers: HeaderMap): FilterTrailersStatus;
  /** Access-log phase (only when the request completed). */
  log(requestHeaders: HeaderMap | null, responseHeaders: HeaderMap | null, responseTrailers: HeaderMap | null): void;
  onDestroy(): void;
}

/** What the terminal (router or a test double) may call back on the manager. */
export interface TerminalCallbacks {
  readonly streamInfo: StreamInfo;
  /** True when a filter mutated request headers since the route was last resolved (route cache cleared). */
  readonly routeCacheCleared: boolean;
  /** The terminal re-resolved the route; resets the dirty flag. */
  markRouteResolved(): void;
  encodeHeaders(headers: HeaderMap, endStream: boolean): void;
  encodeData(data: Uint8Array, endStream: boolean): void;
  encodeTrailers(trailers: HeaderMap): void;
  sendLocalReply(reply: LocalReplyRequest): void;
  resetStream(details: string): void;
}

/** The end of the decoder chain: Envoy's router, or a test double. */
export interface TerminalFilter {
  decodeHeaders(headers: HeaderMap, endStream: boolean, stream: TerminalCallbacks): void;
  decodeData(data: Uint8Array, endStream: boolean, stream: TerminalCallbacks): void;
  decodeTrailers(trailers: HeaderMap, stream: TerminalCallbacks): void;
  /** Stream was reset or completed early (local reply): stop upstream work. */
  onStreamEnd?(): void;
}

/** Where the response goes (the client). */
export interface DownstreamSink {
  headers(headers: HeaderMap, endStream: boolean): void;
  data(data: Uint8Array, endStream: boolean): void;
  trailers(trailers: HeaderMap): void;
  reset(details: string): void;
}

/** Whether `proxy_http_call`/`proxy_grpc_call` may target `name`. */
export function isKnownCluster(upstream: HttpCallTransport | undefined, name: string): boolean {
  if (!upstream) return false;
  if (upstream.hasCluster) return upstream.hasCluster(name);
  for (const c of upstream.clusters()) if (c === name) return true;
  return false;
}
