/** Shared drivers for the metrics tests: load the built filter, run whole requests, read the emulator's stats. */
import { readFileSync } from 'node:fs';
import { createTestHost, type StreamOptions, type TestEnv, type TestStream } from '../../../harness/testing/index.ts';

export const METRICS_WASM = process.env.METRICS_WASM ?? 'dist/filters/metrics.wasm';

interface TagRule { tag_name: string; regex: string }
const statsTagsDoc = JSON.parse(readFileSync('filters/metrics/stats-tags.json', 'utf8')) as {
  stats_config: { stats_tags: TagRule[] };
  extraLabelRule: TagRule;
};

/** The stats_tags rules of stats-tags.json for the standard labels plus `extra` label names (template applied). */
export function statsTagsFor(extra: string[] = []): { tagName: string; regex: string }[] {
  const rules = [
    ...statsTagsDoc.stats_config.stats_tags,
    ...extra.map((name) => ({
      tag_name: statsTagsDoc.extraLabelRule.tag_name.replace('<name>', name),
      regex: statsTagsDoc.extraLabelRule.regex.replace('<name>', name),
    })),
  ];
  return rules.map((r) => ({ tagName: r.tag_name, regex: r.regex }));
}

export function metricsHost(config: unknown, opts: { statsTags?: boolean; extraTags?: string[] } = {}): Promise<TestEnv> {
  return createTestHost({
    wasm: METRICS_WASM, name: 'metrics', rootId: 'metrics', vmId: 'metrics',
    configuration: typeof config === 'string' ? config : JSON.stringify(config),
    statsTags: opts.statsTags === false ? undefined : statsTagsFor(opts.extraTags),
  });
}

export interface Exchange extends StreamOptions {
  method?: string;
  authority?: string;
  path?: string;
  headers?: [string, string][];
  requestBody?: string;
  status?: string;
  responseBody?: string;
  /** Milliseconds between request start and the end of the response. */
  durationMs?: number;
  uriSan?: string;
}

/** One complete request/response through the filter, ending with the access-log phase. */
export function exchange(env: TestEnv, x: Exchange = {}): TestStream {
  const { method = 'GET', authority = 'svc.local', path = '/', headers = [], requestBody, status = '200', responseBody,
    durationMs = 0, uriSan, ...options } = x;
  if (uriSan !== undefined) options.tls = { ...options.tls, uriSans: [uriSan] };
  const s = env.openStream(options);
  s.sendRequestHeaders([[':authority', authority], [':path', path], [':method', method], ...headers], { endStream: requestBody === undefined });
  if (requestBody !== undefined) s.sendRequestBody(requestBody, { endStream: true });
  env.clock.advance(durationMs);
  s.sendResponseHeaders({ ':status': status }, { endStream: responseBody === undefined });
  if (responseBody !== undefined) s.sendResponseBody(responseBody, { endStream: true });
  s.complete();
  return s;
}

/** Lines of the Prometheus text for one family's samples (`name{...} value`), without # TYPE lines. */
export function samples(text: string, family: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${family}{`) || l.startsWith(`${family} `));
}
