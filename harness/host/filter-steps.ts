/** An HttpFilter seen from one direction of the chain, without per-stream closures. */
import type { HeaderMap } from './header-map.ts';
import type { FilterDataStatus, FilterHeadersStatus, FilterTrailersStatus } from './status.ts';
import type { BodyChunk, HttpFilter } from './types.ts';

/** One filter seen from one direction (the FilterManager adapts HttpFilter for decode or encode). */
export interface ChainStep {
  headers(headers: HeaderMap, endStream: boolean): FilterHeadersStatus;
  data(chunk: BodyChunk, endStream: boolean): FilterDataStatus;
  trailers(trailers: HeaderMap): FilterTrailersStatus;
}

/** Decode-side view of an HttpFilter without per-stream closures. */
export class DecodeStep implements ChainStep {
  constructor(private readonly f: HttpFilter) {}
  headers(h: HeaderMap, e: boolean): FilterHeadersStatus { return this.f.decodeHeaders(h, e); }
  data(c: BodyChunk, e: boolean): FilterDataStatus { return this.f.decodeData(c, e); }
  trailers(t: HeaderMap): FilterTrailersStatus { return this.f.decodeTrailers(t); }
}

/** Encode-side view of an HttpFilter. */
export class EncodeStep implements ChainStep {
  constructor(private readonly f: HttpFilter) {}
  headers(h: HeaderMap, e: boolean): FilterHeadersStatus { return this.f.encodeHeaders(h, e); }
  data(c: BodyChunk, e: boolean): FilterDataStatus { return this.f.encodeData(c, e); }
  trailers(t: HeaderMap): FilterTrailersStatus { return this.f.encodeTrailers(t); }
}

