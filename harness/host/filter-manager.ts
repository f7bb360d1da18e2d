/**
 * Envoy's HTTP FilterManager for one stream: decoder chain (filters in order, then the terminal) and encoder
 * chain (filters in reverse, then the client); local replies through the encoder chain when raised while
 * decoding, direct when raised while encoding, reset after response headers went out; teardown = log for
 * every filter, then onDestroy for every filter (reference §1.4, §5.3, §5.11).
 */
import { FilterChain } from './filter-chain.ts';
import { DecodeStep, EncodeStep } from './filter-steps.ts';
import { HeaderMap } from './header-map.ts';
import { buildLocalReply, type BuiltLocalReply } from './local-reply.ts';
import { DEFAULT_BUFFER_LIMIT_BYTES } from './status.ts';
import type {
  DownstreamSink, FilterCallbacks, HttpFilter, LocalReplyRequest, StreamInfo, TerminalCallbacks, TerminalFilter,
} from './types.ts';

export interface FilterManagerOptions {
  filters: HttpFilter[];
  streamInfo: StreamInfo;
  terminal: TerminalFilter;
  onReply: DownstreamSink;
  /** Listener `per_connection_buffer_limit_bytes` (default 1 MiB). */
  bufferLimitBytes?: number;
  /** Observer of local replies (what was asked and what was built) — for tests and access logs. */
  onLocalReply?: (reply: LocalReplyRequest, built: BuiltLocalReply) => void;
}

const encoder = new TextEncoder();

export class FilterManager implements TerminalCallbacks {
  readonly streamInfo: StreamInfo;
  private readonly filters: HttpFilter[];
  private readonly terminal: TerminalFilter;
  private readonly downstream: DownstreamSink;
  private readonly onLocalReply?: (reply: LocalReplyRequest, built: BuiltLocalReply) => void;
  private readonly decoder: FilterChain;
  private encoder: FilterChain;
  private routeDirty = false;
  private headersSent = false;
  private finished = false;
  private completed = false;
  /** Response headers as the client received them (for the access log). */
  private sentHeaders: HeaderMap | null = null;
  private sentTrailers: HeaderMap | null = null;

  constructor(opts: FilterManagerOptions) {
    this.streamInfo = opts.streamInfo;
    this.filters = opts.filters;
    this.terminal = opts.terminal;
    this.downstream = opts.onReply;
    this.onLocalReply = opts.onLocalReply;
    const limit = opts.bufferLimitBytes ?? DEFAULT_BUFFER_LIMIT_BYTES;
    this.decoder = new FilterChain(this.filters.map((f) => new DecodeStep(f)), {
      headers: (h, e) => this.terminal.decodeHeaders(h, e, this),
      data: (d, e) => this.terminal.decodeData(d, e, this),
      trailers: (t) => this.terminal.decodeTrailers(t, this),
    }, limit, () => this.sendLocalReply({
      status: 413, body: encoder.encode('Payload Too Large'), extraHeaders: [], grpcStatus: null, details: 'request_payload_too_large',
    }));
    this.encoder = this.makeEncoder(limit);
    this.filters.forEach((f, i) => f.setCallbacks(this.callbacksFor(i)));
  }

  private makeEncoder(limit: number): FilterChain {
    const steps: EncodeStep[] = [];
    for (let i = this.filters.length - 1; i >= 0; i--) steps.push(new EncodeStep(this.filters[i]!));
    return new FilterChain(steps, {
      headers: (h, e) => this.toClientHeaders(h, e),
      data: (d, e) => this.toClientData(d, e),
      trailers: (t) => this.toClientTrailers(t),
    }, limit, () => this.sendLocalReply({
      status: 500, body: encoder.encode('Internal Server Error'), extraHeaders: [], grpcStatus: null, details: 'response_payload_too_large',
    }));
  }

  // ---- driven by the codec / test ----

  decodeHeaders(headers: HeaderMap, endStream: boolean): void {
    this.decoder.startHeaders(headers, endStream);
  }
  decodeData(data: Uint8Array, endStream: boolean): void {
    if (this.decoder.aborted) return;
    this.streamInfo.bytesReceived = (this.streamInfo.bytesReceived ?? 0) + data.length;
    this.decoder.startData(data, endStream);
  }
  decodeTrailers(trailers: HeaderMap): void {
    if (this.decoder.aborted) return;
    this.decoder.startTrailers(trailers);
  }

  // ---- TerminalCallbacks (the router / test double answers through these) ----

  get routeCacheCleared(): boolean {
    return this.routeDirty;
  }
  markRouteResolved(): void {
    this.routeDirty = false;
  }
  encodeHeaders(headers: HeaderMap, endStream: boolean): void {
    if (this.encoder.aborted || this.finished) return;
    const status = Number(headers.get(':status'));
    if (Number.isFinite(status)) this.streamInfo.responseCode = status;
    this.streamInfo.responseCodeDetails ??= 'via_upstream';
    this.encoder.startHeaders(headers, endStream);
  }
  encodeData(data: Uint8Array, endStream: boolean): void {
    if (this.encoder.aborted || this.finished) return;
    this.encoder.startData(data, endStream);
  }
  encodeTrailers(trailers: HeaderMap): void {
    if (this.encoder.aborted || this.finished) return;
    this.encoder.startTrailers(trailers);
  }

  /** Envoy sendLocalReply: via the encoder chain while decoding; direct while encoding; reset after headers sent. */
  sendLocalReply(reply: LocalReplyRequest): void {
    if (this.finished) return;
    if (this.headersSent) {
      this.resetStream(reply.details);
      return;
    }
    const built = buildLocalReply(reply, this.decoder.headers);
    this.streamInfo.responseCode = Number(built.headers.get(':status'));
    this.streamInfo.responseCodeDetails = reply.details;
    this.onLocalReply?.(reply, built);
    const viaFilters = !this.encoder.started;
    this.decoder.aborted = true;
    this.terminal.onStreamEnd?.();
    const hasBody = built.body.length > 0;
    if (viaFilters) {
      this.encoder.startHeaders(built.headers, !hasBody);
      if (hasBody) this.encoder.startData(built.body, true);
    } else {
      this.encoder.aborted = true;
      this.toClientHeaders(built.headers, !hasBody);
      if (hasBody) this.toClientData(built.body, true);
    }
  }

  resetStream(details: string): void {
    if (this.finished) return;
    this.streamInfo.responseCodeDetails ??= details;
    this.decoder.aborted = true;
    this.encoder.aborted = true;
    this.finished = true;
    this.terminal.onStreamEnd?.();
    this.downstream.reset(details);
  }

  /** Access-log phase then destruction: log() on every filter, then onDestroy() on every filter. */
  complete(): void {
    if (this.completed) return;
    this.completed = true;
    this.finished = true;
    const req = this.decoder.headers;
    for (const f of this.filters) f.log(req, this.sentHeaders, this.sentTrailers);
    for (const f of this.filters) f.onDestroy();
  }

  get responseHeadersSent(): boolean {
    return this.headersSent;
  }

  // ---- to the client ----

  private toClientHeaders(headers: HeaderMap, endStream: boolean): void {
    this.headersSent = true;
    this.sentHeaders = headers;
    const status = Number(headers.get(':status'));
    if (Number.isFinite(status)) this.streamInfo.responseCode = status;
    this.downstream.headers(headers, endStream);
  }
  private toClientData(data: Uint8Array, endStream: boolean): void {
    this.streamInfo.bytesSent = (this.streamInfo.bytesSent ?? 0) + data.length;
    this.downstream.data(data, endStream);
  }
  private toClientTrailers(trailers: HeaderMap): void {
    this.sentTrailers = trailers;
    this.downstream.trailers(trailers);
  }

  private callbacksFor(index: number): FilterCallbacks {
    return new StreamFilterCallbacks(this, index, this.filters.length - 1 - index);
  }

  /** @internal used by StreamFilterCallbacks */
  continueAt(direction: 'decode' | 'encode', index: number): void {
    (direction === 'decode' ? this.decoder : this.encoder).continueFrom(index);
  }
  /** @internal */
  clearRouteCache(): void {
    this.routeDirty = true;
  }
  /** @internal */
  get requestHeaderMap(): HeaderMap | null {
    return this.decoder.headers;
  }
  /** @internal */
  addTrailers(direction: 'decode' | 'encode'): HeaderMap {
    return (direction === 'decode' ? this.decoder : this.encoder).addTrailers(() => new HeaderMap());
  }
}

/** Per-filter callbacks (Envoy ActiveStreamDecoderFilter/EncoderFilter): index-bound, no closures. */
class StreamFilterCallbacks implements FilterCallbacks {
  constructor(private readonly m: FilterManager, private readonly decodeIndex: number, private readonly encodeIndex: number) {}
  get streamInfo(): StreamInfo { return this.m.streamInfo; }
  get responseHeadersSent(): boolean { return this.m.responseHeadersSent; }
  continueDecoding(): void { this.m.continueAt('decode', this.decodeIndex); }
  continueEncoding(): void { this.m.continueAt('encode', this.encodeIndex); }
  sendLocalReply(reply: LocalReplyRequest): void { this.m.sendLocalReply(reply); }
  resetStream(details: string): void { this.m.resetStream(details); }
  clearRouteCache(): void { this.m.clearRouteCache(); }
  requestHeaders(): HeaderMap | null { return this.m.requestHeaderMap; }
  addDecodedTrailers(): HeaderMap { return this.m.addTrailers('decode'); }
  addEncodedTrailers(): HeaderMap { return this.m.addTrailers('encode'); }
}
