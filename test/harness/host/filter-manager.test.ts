import { describe, expect, it } from 'vitest';
import { FilterManager } from '../../../harness/host/filter-manager.ts';
import { HeaderMap } from '../../../harness/host/header-map.ts';
import { FilterDataStatus as D, FilterHeadersStatus as H, FilterTrailersStatus as T } from '../../../harness/host/status.ts';
import type { BodyChunk, FilterCallbacks, HttpFilter, TerminalCallbacks } from '../../../harness/host/types.ts';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A scripted filter that records every call into a shared journal. */
class FakeFilter implements HttpFilter {
  cb!: FilterCallbacks;
  decodeHeadersStatus: number = H.Continue;
  decodeDataStatus: number = D.Continue;
  decodeTrailersStatus: number = T.Continue;
  encodeHeadersStatus: number = H.Continue;
  onDecodeHeaders?: () => void;
  onEncodeHeaders?: () => void;
  constructor(readonly name: string, private readonly journal: string[]) {}
  setCallbacks(c: FilterCallbacks): void { this.cb = c; }
  decodeHeaders(_h: HeaderMap, e: boolean): H {
    this.journal.push(`${this.name}.decodeHeaders(${e})`);
    this.onDecodeHeaders?.();
    return this.decodeHeadersStatus as H;
  }
  decodeData(c: BodyChunk, e: boolean): D {
    this.journal.push(`${this.name}.decodeData(${text(c.bytes)},${e})`);
    return this.decodeDataStatus as D;
  }
  decodeTrailers(): T {
    this.journal.push(`${this.name}.decodeTrailers`);
    return this.decodeTrailersStatus as T;
  }
  encodeHeaders(h: HeaderMap, e: boolean): H {
    this.journal.push(`${this.name}.encodeHeaders(${h.get(':status')},${e})`);
    this.onEncodeHeaders?.();
    return this.encodeHeadersStatus as H;
  }
  encodeData(c: BodyChunk, e: boolean): D {
    this.journal.push(`${this.name}.encodeData(${text(c.bytes)},${e})`);
    return D.Continue;
  }
  encodeTrailers(): T {
    this.journal.push(`${this.name}.encodeTrailers`);
    return T.Continue;
  }
  log(): void { this.journal.push(`${this.name}.log`); }
  onDestroy(): void { this.journal.push(`${this.name}.destroy`); }
}

function setup(n = 2, limit?: number) {
  const journal: string[] = [];
  const filters = Array.from({ length: n }, (_, i) => new FakeFilter(String.fromCharCode(65 + i), journal));
  let terminalCb: TerminalCallbacks | undefined;
  let routeCleared: boolean | undefined;
  const manager = new FilterManager({
    filters,
    streamInfo: {},
    bufferLimitBytes: limit,
    terminal: {
      decodeHeaders: (h, e, cb) => { terminalCb = cb; routeCleared = cb.routeCacheCleared; journal.push(`router.headers(${e})`); },
      decodeData: (d, e) => journal.push(`router.data(${text(d)},${e})`),
      decodeTrailers: () => journal.push('router.trailers'),
    },
    onReply: {
      headers: (h, e) => journal.push(`client.headers(${h.get(':status')},${e})`),
      data: (d, e) => journal.push(`client.data(${text(d)},${e})`),
      trailers: () => journal.push('client.trailers'),
      reset: (d) => journal.push(`client.reset(${d})`),
    },
  });
  return { journal, filters, manager, terminal: () => terminalCb!, routeCleared: () => routeCleared };
}

const req = () => new HeaderMap({ ':method': 'GET', ':path': '/', ':authority': 'x' });

describe('FilterManager', () => {
  it('decodes in filter order and encodes in reverse order', () => {
    const { journal, manager, terminal } = setup();
    manager.decodeHeaders(req(), true);
    terminal().encodeHeaders(new HeaderMap({ ':status': '200' }), false);
    terminal().encodeData(bytes('ok'), true);
    expect(journal).toEqual([
      'A.decodeHeaders(true)', 'B.decodeHeaders(true)', 'router.headers(true)',
      'B.encodeHeaders(200,false)', 'A.encodeHeaders(200,false)', 'client.headers(200,false)',
      'B.encodeData(ok,true)', 'A.encodeData(ok,true)', 'client.data(ok,true)',
    ]);
  });

  it('holds body behind StopAllIteration and delivers it once to the stopped filter after continue', () => {
    const { journal, filters, manager } = setup();
    filters[0]!.decodeHeadersStatus = H.StopAllIterationAndWatermark;
    manager.decodeHeaders(req(), false);
    manager.decodeData(bytes('ab'), false);
    manager.decodeData(bytes('cd'), true);
    expect(journal).toEqual(['A.decodeHeaders(false)']);
    filters[0]!.cb.continueDecoding();
    expect(journal.slice(1)).toEqual([
      'B.decodeHeaders(false)', 'router.headers(false)', 'A.decodeData(abcd,true)', 'B.decodeData(abcd,true)', 'router.data(abcd,true)',
    ]);
  });

  it('accumulates body while a filter returns StopIterationAndBuffer', () => {
    const { journal, filters, manager } = setup();
    manager.decodeHeaders(req(), false);
    filters[0]!.decodeDataStatus = D.StopIterationAndBuffer;
    manager.decodeData(bytes('ab'), false);
    filters[0]!.decodeDataStatus = D.Continue;
    manager.decodeData(bytes('cd'), true);
    expect(journal.slice(3)).toEqual(['A.decodeData(ab,false)', 'A.decodeData(abcd,true)', 'B.decodeData(abcd,true)', 'router.data(abcd,true)']);
  });

  it('answers 413 when StopAllIterationAndBuffer overflows the buffer limit', () => {
    const { journal, filters, manager } = setup(2, 4);
    filters[0]!.decodeHeadersStatus = H.StopAllIterationAndBuffer;
    manager.decodeHeaders(req(), false);
    manager.decodeData(bytes('12345'), true);
    expect(journal).toContain('client.headers(413,false)');
    expect(journal).toContain('client.data(Payload Too Large,true)');
    expect(manager.streamInfo.responseCodeDetails).toBe('request_payload_too_large');
  });

  it('keeps buffering past the limit with StopAllIterationAndWatermark', () => {
    const { journal, filters, manager } = setup(2, 4);
    filters[0]!.decodeHeadersStatus = H.StopAllIterationAndWatermark;
    manager.decodeHeaders(req(), false);
    manager.decodeData(bytes('12345'), true);
    expect(journal.some((l) => l.startsWith('client'))).toBe(false);
  });

  it('sends a local reply raised while decoding through every encoder filter, skipping later decoders', () => {
    const { journal, filters, manager } = setup();
    filters[0]!.onDecodeHeaders = () =>
      filters[0]!.cb.sendLocalReply({ status: 403, body: bytes('no'), extraHeaders: [['x-a', '1']], grpcStatus: null, details: 'denied' });
    filters[0]!.decodeHeadersStatus = H.StopAllIterationAndWatermark;
    manager.decodeHeaders(req(), true);
    manager.complete();
    expect(journal).toEqual([
      'A.decodeHeaders(true)', 'B.encodeHeaders(403,false)', 'A.encodeHeaders(403,false)', 'client.headers(403,false)',
      'B.encodeData(no,true)', 'A.encodeData(no,true)', 'client.data(no,true)', 'A.log', 'B.log', 'A.destroy', 'B.destroy',
    ]);
    expect(manager.streamInfo.responseCode).toBe(403);
    expect(manager.streamInfo.responseCodeDetails).toBe('denied');
  });

  it('sends a local reply raised while encoding directly to the client', () => {
    const { journal, filters, manager, terminal } = setup();
    manager.decodeHeaders(req(), true);
    filters[1]!.onEncodeHeaders = () =>
      filters[1]!.cb.sendLocalReply({ status: 500, body: new Uint8Array(0), extraHeaders: [], grpcStatus: null, details: 'bad' });
    filters[1]!.encodeHeadersStatus = H.StopAllIterationAndWatermark;
    terminal().encodeHeaders(new HeaderMap({ ':status': '200' }), true);
    expect(journal.slice(3)).toEqual(['B.encodeHeaders(200,true)', 'client.headers(500,true)']);
  });

  it('resets the stream when a local reply comes after response headers were sent', () => {
    const { journal, filters, manager, terminal } = setup();
    manager.decodeHeaders(req(), true);
    terminal().encodeHeaders(new HeaderMap({ ':status': '200' }), false);
    filters[0]!.cb.sendLocalReply({ status: 500, body: new Uint8Array(0), extraHeaders: [], grpcStatus: null, details: 'late' });
    expect(journal.at(-1)).toBe('client.reset(late)');
  });

  it('treats a continue requested inside the stopping callback as continue', () => {
    const { journal, filters, manager } = setup();
    filters[0]!.decodeHeadersStatus = H.StopAllIterationAndWatermark;
    filters[0]!.onDecodeHeaders = () => filters[0]!.cb.continueDecoding();
    manager.decodeHeaders(req(), true);
    expect(journal).toEqual(['A.decodeHeaders(true)', 'B.decodeHeaders(true)', 'router.headers(true)']);
  });

  it('tells the terminal that a filter cleared the route cache', () => {
    const { filters, manager, routeCleared, terminal } = setup();
    filters[1]!.onDecodeHeaders = () => filters[1]!.cb.clearRouteCache();
    manager.decodeHeaders(req(), true);
    expect(routeCleared()).toBe(true);
    terminal().markRouteResolved();
    expect(terminal().routeCacheCleared).toBe(false);
  });

  it('stops trailers at a filter and resumes them on continue', () => {
    const { journal, filters, manager } = setup();
    manager.decodeHeaders(req(), false);
    filters[0]!.decodeTrailersStatus = T.StopIteration;
    manager.decodeTrailers(new HeaderMap({ 'x-t': '1' }));
    expect(journal.slice(3)).toEqual(['A.decodeTrailers']);
    filters[0]!.cb.continueDecoding();
    expect(journal.slice(4)).toEqual(['B.decodeTrailers', 'router.trailers']);
  });

  it('passes headers-only StopIteration data to the stopped filter and continues headers when data continues', () => {
    const { journal, filters, manager } = setup();
    filters[0]!.decodeHeadersStatus = H.StopIteration;
    manager.decodeHeaders(req(), false);
    manager.decodeData(bytes('x'), true);
    expect(journal).toEqual(['A.decodeHeaders(false)', 'A.decodeData(x,true)', 'B.decodeHeaders(false)', 'router.headers(false)', 'B.decodeData(x,true)', 'router.data(x,true)']);
  });

  it('resets with details and stops both directions', () => {
    const { journal, filters, manager } = setup();
    filters[0]!.onDecodeHeaders = () => filters[0]!.cb.resetStream('wasm_close_stream');
    manager.decodeHeaders(req(), true);
    expect(journal).toEqual(['A.decodeHeaders(true)', 'client.reset(wasm_close_stream)']);
    expect(manager.streamInfo.responseCodeDetails).toBe('wasm_close_stream');
  });
});
