/**
 * metrics: the exact /stats/prometheus text the emulator's metric store renders for the filter's stats, with the
 * stats_tags of stats-tags.json, the histogram buckets (Envoy defaults), and what happens without the tag rules.
 */
import { describe, expect, it } from 'vitest';
import { exchange, metricsHost, samples } from './helpers.ts';

// Envoy's default histogram bucket bounds, written out here on purpose (not imported from the emulator).
const BUCKETS = ['0.5', '1', '5', '10', '25', '50', '100', '250', '500', '1000', '2500', '5000', '10000', '30000', '60000',
  '300000', '600000', '1800000', '3600000'];

/** Expected text of one histogram family: cumulative bucket counts for `values`. */
function histogram(name: string, labels: string, values: number[]): string {
  const lines = [`# TYPE ${name} histogram`];
  for (const le of BUCKETS) lines.push(`${name}_bucket{${labels},le="${le}"} ${values.filter((v) => v <= Number(le)).length}`);
  lines.push(`${name}_bucket{${labels},le="+Inf"} ${values.length}`);
  lines.push(`${name}_sum{${labels}} ${values.reduce((a, b) => a + b, 0)}`);
  lines.push(`${name}_count{${labels}} ${values.length}`);
  return lines.join('\n');
}

describe('metrics Prometheus output', () => {
  it('renders exactly the four families with labels from stats_tags', async () => {
    const env = await metricsHost({ labels: ['response_code', 'request_method'] });
    exchange(env, { method: 'POST', status: '201', requestBody: 'hello', responseBody: 'hello world!', durationMs: 42 });
    const labels = 'response_code="201",request_method="POST"';
    expect(env.prometheus()).toBe(
      '# TYPE asmesh_requests_total counter\n' +
      `asmesh_requests_total{${labels}} 1\n` +
      `${histogram('asmesh_request_bytes', labels, [5])}\n` +
      `${histogram('asmesh_request_duration_milliseconds', labels, [42])}\n` +
      `${histogram('asmesh_response_bytes', labels, [12])}\n`,
    );
  });

  it('keeps one series per label combination in one family', async () => {
    const env = await metricsHost({ labels: ['response_code'] });
    exchange(env, { status: '200' });
    exchange(env, { status: '200' });
    exchange(env, { status: '404' });
    expect(samples(env.prometheus(), 'asmesh_requests_total')).toEqual([
      'asmesh_requests_total{response_code="200"} 2',
      'asmesh_requests_total{response_code="404"} 1',
    ]);
  });

  it('fills the duration histogram buckets from request durations in milliseconds', async () => {
    const env = await metricsHost({ labels: [] });
    const durations = [0, 1, 3, 42, 250, 700, 12000];
    for (const d of durations) exchange(env, { durationMs: d });
    const text = env.prometheus();
    const expected = histogram('asmesh_request_duration_milliseconds', '', durations).replaceAll('{,', '{');
    expect(text).toContain(`${expected}\n`);
    expect(samples(text, 'asmesh_request_duration_milliseconds_bucket')).toContain('asmesh_request_duration_milliseconds_bucket{le="5"} 3');
  });

  it('records request and response body sizes in bytes', async () => {
    const env = await metricsHost({ labels: [] });
    exchange(env, { requestBody: 'x'.repeat(300), responseBody: 'y'.repeat(7000) });
    expect(env.histogram('wasmcustom.asmesh_request_bytes')).toEqual([300]);
    expect(env.histogram('wasmcustom.asmesh_response_bytes')).toEqual([7000]);
  });

  it('leaves the labels in the metric name without stats_tags', async () => {
    const env = await metricsHost({ labels: ['response_code'] }, { statsTags: false });
    exchange(env, { status: '200' });
    expect(env.prometheus()).toContain('# TYPE response_code___200___asmesh_requests_total counter\nresponse_code___200___asmesh_requests_total{} 1\n');
  });

  it('names the stats with label segments ahead of the metric name', async () => {
    const env = await metricsHost({ labels: ['response_code', 'request_method'] });
    exchange(env, { method: 'GET', status: '200' });
    expect(env.counter('wasmcustom.response_code=.=200;.;request_method=.=GET;.;asmesh_requests_total')).toBe(1);
  });
});
