/**
 * One direction of Envoy's filter-chain iteration (decoder or encoder): headers → data → trailers over the
 * filters in order, with StopIteration / StopAll / buffering / continue re-entry (Envoy FilterManager).
 * The FilterManager owns two of these; `sink` is the terminal (decode) or the client (encode).
 */
import type { HeaderMap } from './header-map.ts';
import { FilterDataStatus, FilterHeadersStatus, FilterTrailersStatus } from './status.ts';
import type { ChainStep } from './filter-steps.ts';
import type { BodyChunk } from './types.ts';

export interface ChainSink {
  headers(headers: HeaderMap, endStream: boolean): void;
  data(data: Uint8Array, endStream: boolean): void;
  trailers(trailers: HeaderMap): void;
}

interface StepState {
  sawHeaders: boolean;
  headersContinued: boolean;
  stoppedAll: boolean;
  /** Buffer limit applies (StopAllIterationAndBuffer / StopIterationAndBuffer). */
  limited: boolean;
  /** Body kept by this filter after StopIterationAndBuffer/Watermark (null = not buffering). */
  buffered: Uint8Array | null;
  trailersStopped: boolean;
  inCallback: boolean;
  continueRequested: boolean;
}

const EMPTY = new Uint8Array(0);

function concat(a: Uint8Array | null, b: Uint8Array): Uint8Array {
  if (!a || a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export class FilterChain {
  private readonly state: StepState[];
  private headersValue: HeaderMap | null = null;
  private endStream = false;
  private trailersValue: HeaderMap | null = null;
  /** Data waiting at a filter whose headers iteration is stopped (StopAll) or not reached yet. */
  private pending: { at: number; data: Uint8Array } | null = null;
  private pendingTrailersAt: number | null = null;
  aborted = false;
  private current = -1;
  /** A data chunk is travelling while headers are re-iterated: headers cannot end the stream. */
  private dataInFlight = false;
  /** Index of the filter that created trailers during the last data chunk (Envoy addDecodedTrailers). */
  private trailersAddedAt: number | null = null;

  constructor(
    private readonly steps: ChainStep[],
    private readonly sink: ChainSink,
    private readonly bufferLimit: number,
    /** Called when a limited buffer overflows (Envoy: 413 for requests, 500 for responses). */
    private readonly onOverflow: () => void,
  ) {
    this.state = steps.map(() => ({
      sawHeaders: false, headersContinued: false, stoppedAll: false, limited: false, buffered: null,
      trailersStopped: false, inCallback: false, continueRequested: false,
    }));
  }

  get headers(): HeaderMap | null {
    return this.headersValue;
  }
  get trailers(): HeaderMap | null {
    return this.trailersValue;
  }
  get started(): boolean {
    return this.headersValue !== null;
  }

  /** Create the trailers map during the last data chunk (Envoy addDecodedTrailers). */
  addTrailers(make: () => HeaderMap): HeaderMap {
    if (!this.trailersValue) {
      this.trailersValue = make();
      this.trailersAddedAt = this.current;
    }
    return this.trailersValue;
  }

  startHeaders(headers: HeaderMap, endStream: boolean): void {
    this.headersValue = headers;
    this.endStream = endStream;
    this.iterateHeaders(0);
  }

  startData(data: Uint8Array, endStream: boolean): void {
    this.endStream = endStream;
    this.iterateData(0, data, endStream);
  }

  startTrailers(trailers: HeaderMap): void {
    this.trailersValue = trailers;
    this.endStream = true;
    this.iterateTrailers(0);
  }

  private call<T>(i: number, fn: () => T): T {
    const s = this.state[i]!;
    s.inCallback = true;
    const saved = this.current;
    this.current = i;
    try {
      return fn();
    } finally {
      s.inCallback = false;
      this.current = saved;
    }
  }

  /** A continue asked for during the filter's own callback applies once that callback returned a stop. */
  private takeContinue(i: number): boolean {
    const s = this.state[i]!;
    const r = s.continueRequested;
    s.continueRequested = false;
    return r;
  }

  private iterateHeaders(from: number): void {
    const headers = this.headersValue!;
    const trailersFollow = this.trailersValue !== null;
    for (let i = from; i < this.steps.length; i++) {
      if (this.aborted) return;
      const s = this.state[i]!;
      s.sawHeaders = true;
      const endStream = this.endStream && this.pending === null && !trailersFollow && !this.dataInFlight;
      const status = this.call(i, () => this.steps[i]!.headers(headers, endStream));
      if (this.aborted) return;
      if (status === FilterHeadersStatus.Continue || status === FilterHeadersStatus.ContinueAndEndStream || this.takeContinue(i)) {
        s.headersContinued = true;
        continue;
      }
      s.stoppedAll = status !== FilterHeadersStatus.StopIteration;
      s.limited = status === FilterHeadersStatus.StopAllIterationAndBuffer;
      return;
    }
    const endStream = this.endStream && this.pending === null && this.trailersValue === null && !this.dataInFlight;
    this.sink.headers(headers, endStream);
  }

  private iterateData(from: number, data: Uint8Array, endStream: boolean): void {
    let chunk = data;
    let eos = endStream;
    let addedAt: number | null = null;
    for (let i = from; i < this.steps.length; i++) {
      if (this.aborted) return;
      const s = this.state[i]!;
      if (!s.sawHeaders || s.stoppedAll) {
        this.hold(i, chunk, s.stoppedAll ? s.limited : true);
        return;
      }
      if (s.buffered !== null) chunk = concat(s.buffered, chunk);
      const body: BodyChunk = { bytes: chunk };
      const status = this.call(i, () => this.steps[i]!.data(body, eos));
      if (this.aborted) return;
      chunk = body.bytes;
      if (this.trailersAddedAt === i) {
        this.trailersAddedAt = null;
        addedAt = i;
        eos = false;
      }
      if (status === FilterDataStatus.Continue || this.takeContinue(i)) {
        s.buffered = null;
        if (!s.headersContinued) {
          // Envoy: Continue from data while headers were stopped (StopIteration) continues the headers first.
          s.headersContinued = true;
          this.dataInFlight = true;
          try {
            this.iterateHeaders(i + 1);
          } finally {
            this.dataInFlight = false;
          }
          if (this.aborted) return;
        }
        continue;
      }
      if (addedAt !== null) this.pendingTrailersAt = addedAt + 1;
      if (status === FilterDataStatus.StopIterationNoBuffer) {
        s.buffered = null;
        return;
      }
      s.buffered = chunk;
      s.limited = status === FilterDataStatus.StopIterationAndBuffer;
      if (s.limited && chunk.length > this.bufferLimit) this.onOverflow();
      return;
    }
    this.sink.data(chunk, eos);
    if (addedAt !== null) this.iterateTrailers(addedAt + 1);
  }

  private hold(at: number, chunk: Uint8Array, limited: boolean): void {
    this.pending = { at, data: concat(this.pending?.data ?? null, chunk) };
    if (limited && this.pending.data.length > this.bufferLimit) this.onOverflow();
  }

  private iterateTrailers(from: number): void {
    const trailers = this.trailersValue!;
    for (let i = from; i < this.steps.length; i++) {
      if (this.aborted) return;
      const s = this.state[i]!;
      if (!s.sawHeaders || s.stoppedAll || (this.pending !== null && this.pending.at <= i)) {
        this.pendingTrailersAt = i;
        return;
      }
      const status = this.call(i, () => this.steps[i]!.trailers(trailers));
      if (this.aborted) return;
      if (status === FilterTrailersStatus.Continue || this.takeContinue(i)) {
        if (s.buffered !== null) {
          const data = s.buffered;
          s.buffered = null;
          this.iterateData(i + 1, data, false);
          if (this.aborted) return;
        }
        continue;
      }
      s.trailersStopped = true;
      this.pendingTrailersAt = i + 1;
      return;
    }
    this.pendingTrailersAt = null;
    this.sink.trailers(trailers);
  }

  /** `continueDecoding()` / `continueEncoding()` from filter `i`. */
  continueFrom(i: number): void {
    if (this.aborted) return;
    const s = this.state[i];
    if (!s) return;
    if (s.inCallback) {
      s.continueRequested = true;
      return;
    }
    if (!s.sawHeaders) return;
    if (!s.headersContinued) {
      s.headersContinued = true;
      s.stoppedAll = false;
      this.iterateHeaders(i + 1);
      this.flushPending();
      return;
    }
    if (s.buffered !== null) {
      const data = s.buffered;
      s.buffered = null;
      const more = this.trailersValue !== null || !this.endStream;
      this.iterateData(i + 1, data, !more);
      if (this.trailersValue && this.pendingTrailersAt !== null) this.resumeTrailers();
      return;
    }
    if (s.trailersStopped) {
      s.trailersStopped = false;
      this.resumeTrailers();
    }
  }

  private flushPending(): void {
    if (this.aborted) return;
    const p = this.pending;
    if (p) {
      this.pending = null;
      const endStream = this.endStream && this.trailersValue === null;
      this.iterateData(p.at, p.data, endStream);
    }
    if (this.trailersValue && this.pendingTrailersAt !== null) this.resumeTrailers();
  }

  private resumeTrailers(): void {
    if (this.aborted || this.pending !== null) return;
    const at = this.pendingTrailersAt;
    if (at === null) return;
    this.pendingTrailersAt = null;
    this.iterateTrailers(at);
  }

  /** Data currently held anywhere in the chain (for tests and limits). */
  get bufferedBytes(): number {
    return (this.pending?.data.length ?? 0) + this.state.reduce((n, s) => n + (s.buffered?.length ?? 0), 0);
  }

  static readonly EMPTY = EMPTY;
}
