/** One HTTP stream in the test API: drives a FilterManager with the plugin's filter and a recording router double. */
import { FilterManager } from '../host/filter-manager.ts';
import { HeaderMap } from '../host/header-map.ts';
import type { WasmHost } from '../host/host.ts';
import type { Plugin } from '../host/plugin.ts';
import type {
  BodyChunk, FilterCallbacks, HttpFilter, PropertyValue, StreamInfo, TerminalCallbacks, TerminalFilter, TlsInfo,
} from '../host/types.ts';

export type HeadersInput = Record<string, string> | [string, string][];

export interface StreamOptions {
  sourceAddress?: string;
  destinationAddress?: string;
  tls?: TlsInfo & { uriSans?: string[]; dnsSans?: string[]; subject?: string };
  protocol?: StreamInfo['protocol'];
  routeName?: string;
  clusterName?: string;
  extraProperties?: Record<string, PropertyValue>;
  streamInfo?: Partial<StreamInfo>;
}

export interface UpstreamRequest {
  headers: Record<string, string>;
  headerList: [string, string][];
  body: Uint8Array;
  trailers: Record<string, string> | null;
  endStream: boolean;
  /** A filter changed request headers (route cache cleared) before the router saw them. */
  routeCacheCleared: boolean;
}

export interface LocalResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
  details: string;
  grpcStatus: number | null;
}

export interface DownstreamResponse {
  headers: Record<string, string> | null;
  body: Uint8Array;
  trailers: Record<string, string> | null;
  endStream: boolean;
  reset: string | null;
}

/** Last status the plugin's filter returned for each callback kind. */
class RecordingFilter implements HttpFilter {
  lastDecode: number | null = null;
  lastEncode: number | null = null;
  constructor(readonly inner: HttpFilter) {}
  get name(): string { return this.inner.name; }
  setCallbacks(c: FilterCallbacks): void { this.inner.setCallbacks(c); }
  decodeHeaders(h: HeaderMap, e: boolean) { return (this.lastDecode = this.inner.decodeHeaders(h, e)) as ReturnType<HttpFilter['decodeHeaders']>; }
  decodeData(c: BodyChunk, e: boolean) { return (this.lastDecode = this.inner.decodeData(c, e)) as ReturnType<HttpFilter['decodeData']>; }
  decodeTrailers(t: HeaderMap) { return (this.lastDecode = this.inner.decodeTrailers(t)) as ReturnType<HttpFilter['decodeTrailers']>; }
  encodeHeaders(h: HeaderMap, e: boolean) { return (this.lastEncode = this.inner.encodeHeaders(h, e)) as ReturnType<HttpFilter['encodeHeaders']>; }
  encodeData(c: BodyChunk, e: boolean) { return (this.lastEncode = this.inner.encodeData(c, e)) as ReturnType<HttpFilter['encodeData']>; }
  encodeTrailers(t: HeaderMap) { return (this.lastEncode = this.inner.encodeTrailers(t)) as ReturnType<HttpFilter['encodeTrailers']>; }
  log(a: HeaderMap | null, b: HeaderMap | null, c: HeaderMap | null): void { this.inner.log(a, b, c); }
  onDestroy(): void { this.inner.onDestroy(); }
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();
const toMap = (h: HeaderInputLike): HeaderMap => new HeaderMap(Array.isArray(h) ? h : Object.entries(h));
type HeaderInputLike = HeadersInput;

export class TestStream {
  readonly manager: FilterManager;
  readonly filter: RecordingFilter | null;
  upstreamRequest: UpstreamRequest | null = null;
  localResponse: LocalResponse | null = null;
  readonly downstreamResponse: DownstreamResponse = { headers: null, body: new Uint8Array(0), trailers: null, endStream: false, reset: null };
  private requestSent = false;
  private responseSent = false;

  constructor(host: WasmHost, plugin: Plugin, options: StreamOptions, readonly seq: number) {
    const tls = options.tls
      ? { ...options.tls, uriSanPeerCertificate: options.tls.uriSanPeerCertificate ?? options.tls.uriSans, dnsSanPeerCertificate: options.tls.dnsSanPeerCertificate ?? options.tls.dnsSans, subjectPeerCertificate: options.tls.subjectPeerCertificate ?? options.tls.subject, mtls: options.tls.mtls ?? true }
      : undefined;
    const streamInfo: StreamInfo = {
      sourceAddress: options.sourceAddress ?? '127.0.0.1:50000',
      destinationAddress: options.destinationAddress ?? '127.0.0.1:10000',
      connectionId: seq,
      protocol: options.protocol ?? 'HTTP/1.1',
      startTimeMs: host.clock.now(),
      routeName: options.routeName,
      clusterName: options.clusterName,
      tls,
      extraProperties: options.extraProperties,
      ...options.streamInfo,
    };
    const inner = plugin.createFilter();
    this.filter = inner ? new RecordingFilter(inner) : null;
    this.manager = new FilterManager({
      filters: this.filter ? [this.filter] : [],
      streamInfo,
      terminal: this.terminal(),
      onReply: {
        headers: (h, e) => { this.downstreamResponse.headers = h.toObject(); this.downstreamResponse.endStream = e; },
        data: (d, e) => { this.downstreamResponse.body = concat(this.downstreamResponse.body, d); this.downstreamResponse.endStream = e; },
        trailers: (t) => { this.downstreamResponse.trailers = t.toObject(); this.downstreamResponse.endStream = true; },
        reset: (details) => { this.downstreamResponse.reset = details; },
      },
      onLocalReply: (reply, built) => {
        this.localResponse = {
          status: Number(built.headers.get(':status')), body: decoder.decode(built.body), headers: built.headers.toObject(),
          details: reply.details, grpcStatus: built.grpcStatus ?? reply.grpcStatus,
        };
      },
    });
  }

  private terminal(): TerminalFilter {
    return {
      decodeHeaders: (h: HeaderMap, e: boolean, cb: TerminalCallbacks) => {
        this.upstreamRequest = { headers: h.toObject(), headerList: h.entries().map(([k, v]) => [k, v]), body: new Uint8Array(0), trailers: null, endStream: e, routeCacheCleared: cb.routeCacheCleared };
        cb.markRouteResolved();
      },
      decodeData: (d: Uint8Array, e: boolean) => {
        if (!this.upstreamRequest) return;
        this.upstreamRequest.body = concat(this.upstreamRequest.body, d);
        this.upstreamRequest.endStream = e;
      },
      decodeTrailers: (t: HeaderMap) => {
        if (!this.upstreamRequest) return;
        this.upstreamRequest.trailers = t.toObject();
        this.upstreamRequest.endStream = true;
      },
    };
  }

  /** Returns the plugin filter's converted status (0 Continue, 4 StopAllIterationAndWatermark …), null if skipped. */
  sendRequestHeaders(headers: HeadersInput, opts: { endStream?: boolean } = {}): number | null {
    this.requestSent = true;
    this.manager.decodeHeaders(toMap(headers), opts.endStream ?? false);
    return this.filter?.lastDecode ?? null;
  }
  sendRequestBody(body: string | Uint8Array, opts: { endStream?: boolean } = {}): number | null {
    this.manager.decodeData(typeof body === 'string' ? encoder.encode(body) : body, opts.endStream ?? false);
    return this.filter?.lastDecode ?? null;
  }
  sendRequestTrailers(trailers: HeadersInput): number | null {
    this.manager.decodeTrailers(toMap(trailers));
    return this.filter?.lastDecode ?? null;
  }
  sendResponseHeaders(headers: HeadersInput, opts: { endStream?: boolean } = {}): number | null {
    this.responseSent = true;
    this.manager.encodeHeaders(toMap(headers), opts.endStream ?? false);
    return this.filter?.lastEncode ?? null;
  }
  sendResponseBody(body: string | Uint8Array, opts: { endStream?: boolean } = {}): number | null {
    this.manager.encodeData(typeof body === 'string' ? encoder.encode(body) : body, opts.endStream ?? false);
    return this.filter?.lastEncode ?? null;
  }
  sendResponseTrailers(trailers: HeadersInput): number | null {
    this.manager.encodeTrailers(toMap(trailers));
    return this.filter?.lastEncode ?? null;
  }

  /** Access log then destroy: on_log → on_done → on_delete. */
  complete(): void {
    this.manager.complete();
  }

  /** Where the stream waits: request not at the router yet, or response not at the client yet. */
  get paused(): 'request' | 'response' | null {
    if (this.downstreamResponse.reset) return null;
    if (this.requestSent && !this.upstreamRequest && !this.localResponse) return 'request';
    if (this.responseSent && !this.downstreamResponse.headers) return 'response';
    return null;
  }

  /** The stream context id of the plugin in this stream (null before it was created). */
  get contextId(): number | null {
    const inner = this.filter?.inner as { contextId?: number | null } | undefined;
    return inner?.contextId ?? null;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b.slice();
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
