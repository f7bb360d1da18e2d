import { describe, expect, it } from 'vitest';
import { HeaderMap } from '../../../harness/host/header-map.ts';
import { buildLocalReply } from '../../../harness/host/local-reply.ts';
import { MetricStore } from '../../../harness/host/metrics.ts';
import { parsePairs, serializePairs } from '../../../harness/host/pairs.ts';
import { MetricType } from '../../../harness/host/status.ts';

describe('HeaderMap', () => {
  it('lower-cases keys, keeps pseudo-headers first and insertion order otherwise', () => {
    const h = new HeaderMap([['X-B', '1'], [':path', '/'], ['a', '2'], [':method', 'GET']]);
    expect(h.entries()).toEqual([[':path', '/'], [':method', 'GET'], ['x-b', '1'], ['a', '2']]);
  });

  it('comma-merges inline headers and joins cookies with "; "', () => {
    const h = new HeaderMap();
    h.add('User-Agent', 'a');
    h.add('user-agent', 'b');
    h.add('cookie', 'x=1');
    h.add('cookie', 'y=2');
    h.add('x-custom', '1');
    h.add('x-custom', '2');
    expect(h.entries()).toEqual([['user-agent', 'a,b'], ['cookie', 'x=1; y=2'], ['x-custom', '1'], ['x-custom', '2']]);
    expect(h.get('X-CUSTOM')).toBe('1');
  });

  it('replaces all values with one (removed, then added at the end) and reports Envoy byteSize', () => {
    const h = new HeaderMap([['x', '1'], ['x', '2'], ['y', '3']]);
    h.set('x', '9');
    expect(h.entries()).toEqual([['y', '3'], ['x', '9']]);
    expect(h.byteSize()).toBe(4);
  });
});

describe('pair format', () => {
  it('serializes the reference example to 29 bytes', () => {
    const bytes = serializePairs([['a', '1'], ['b', '22']]);
    expect(Buffer.from(bytes).toString('hex')).toBe('02000000010000000100000001000000020000006100310062003232' + '00');
    expect(parsePairs(bytes)).toEqual([['a', '1'], ['b', '22']]);
  });

  it('returns an empty map for an empty list', () => {
    expect(serializePairs([])).toHaveLength(0);
  });

  it('treats malformed input as an empty map', () => {
    const good = serializePairs([['a', '1']]);
    expect(parsePairs(good.subarray(0, good.length - 1))).toEqual([]);
    expect(parsePairs(Uint8Array.of(...good, 0))).toEqual([]);
    const noNul = good.slice();
    noNul[noNul.length - 1] = 0x41;
    expect(parsePairs(noNul)).toEqual([]);
    expect(parsePairs(new Uint8Array([0x01, 0x04, 0, 0]))).toEqual([]);
    expect(parsePairs(new Uint8Array(2))).toEqual([]);
  });
});

describe('local reply', () => {
  const enc = (s: string) => new TextEncoder().encode(s);

  it('adds content-length and text/plain for a body and removes both for an empty body', () => {
    const withBody = buildLocalReply({ status: 403, body: enc('no'), extraHeaders: [['X-A', '1']], grpcStatus: null, details: 'd' }, null);
    expect(withBody.headers.entries()).toEqual([[':status', '403'], ['x-a', '1'], ['content-length', '2'], ['content-type', 'text/plain']]);
    const empty = buildLocalReply({ status: 204, body: new Uint8Array(0), extraHeaders: [['content-type', 'x/y']], grpcStatus: null, details: 'd' }, null);
    expect(empty.headers.entries()).toEqual([[':status', '204']]);
  });

  it('keeps a content-type the plugin supplied', () => {
    const r = buildLocalReply({ status: 400, body: enc('{}'), extraHeaders: [['content-type', 'application/json']], grpcStatus: null, details: 'd' }, null);
    expect(r.headers.get('content-type')).toBe('application/json');
  });

  it('answers gRPC requests with a trailers-only 200 carrying grpc-status and grpc-message', () => {
    const req = new HeaderMap({ 'content-type': 'application/grpc+proto' });
    const r = buildLocalReply({ status: 503, body: enc('down 100%'), extraHeaders: [], grpcStatus: null, details: 'd' }, req);
    expect(r.headers.toObject()).toEqual({ ':status': '200', 'content-type': 'application/grpc', 'grpc-status': '14', 'grpc-message': 'down 100%25' });
    expect(r.body).toHaveLength(0);
    const explicit = buildLocalReply({ status: 403, body: new Uint8Array(0), extraHeaders: [], grpcStatus: 7, details: 'd' }, req);
    expect(explicit.headers.get('grpc-status')).toBe('7');
  });

  it('drops the body of a HEAD reply', () => {
    const r = buildLocalReply({ status: 403, body: enc('no'), extraHeaders: [], grpcStatus: null, details: 'd' }, new HeaderMap({ ':method': 'HEAD' }));
    expect(r.body).toHaveLength(0);
    expect(r.headers.get('content-length')).toBe('2');
  });
});

describe('MetricStore renderers', () => {
  it('renders /stats text and JSON with the wasmcustom namespace', () => {
    const m = new MetricStore();
    m.define('wasmcustom.my_requests', MetricType.Counter).value = 3;
    m.define('wasmcustom.inflight', MetricType.Gauge).value = 2;
    expect(m.statsText()).toBe('wasmcustom.inflight: 2\nwasmcustom.my_requests: 3\n');
    expect(m.statsJson()).toEqual({ stats: [{ name: 'wasmcustom.inflight', value: 2 }, { name: 'wasmcustom.my_requests', value: 3 }] });
  });

  it('renders Prometheus without namespace or envoy_ prefix, dots as underscores', () => {
    const m = new MetricStore();
    m.define('wasmcustom.my.requests', MetricType.Counter).value = 3;
    m.define('wasmcustom.depth', MetricType.Gauge).value = 7;
    expect(m.prometheus()).toBe('# TYPE my_requests counter\nmy_requests{} 3\n# TYPE depth gauge\ndepth{} 7\n');
  });

  it('renders histograms with Envoy default buckets, +Inf, sum and count', () => {
    const m = new MetricStore();
    m.define('wasmcustom.latency', MetricType.Histogram).samples.push(3, 700, 5000000);
    const lines = m.prometheus().split('\n');
    expect(lines[0]).toBe('# TYPE latency histogram');
    expect(lines).toContain('latency_bucket{le="0.5"} 0');
    expect(lines).toContain('latency_bucket{le="5"} 1');
    expect(lines).toContain('latency_bucket{le="1000"} 2');
    expect(lines).toContain('latency_bucket{le="3600000"} 2');
    expect(lines).toContain('latency_bucket{le="+Inf"} 3');
    expect(lines).toContain('latency_sum{} 5000703');
    expect(lines).toContain('latency_count{} 3');
    expect(lines.filter((l) => l.includes('_bucket'))).toHaveLength(20);
  });

  it('turns stats_tags captures into labels', () => {
    const m = new MetricStore({ statsTags: [{ tagName: 'route', regex: '^wasmcustom\\.reqs(\\.route\\.(.+))$' }] });
    m.define('wasmcustom.reqs.route.foo', MetricType.Counter).value = 1;
    m.define('wasmcustom.reqs.route.bar', MetricType.Counter).value = 2;
    expect(m.prometheus()).toBe('# TYPE reqs counter\nreqs{route="bar"} 2\nreqs{route="foo"} 1\n');
  });
});
