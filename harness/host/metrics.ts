/**
 * Process-wide stats store for plugin metrics (reference §5.9) and Envoy admin renderers:
 * `/stats` text, `/stats?format=json`, `/stats/prometheus` (custom `wasmcustom.` namespace stripped, no `envoy_`).
 */
import { MetricType } from './status.ts';

/** Envoy's default histogram bucket bounds (`stats_config.histogram_bucket_settings` unset). */
export const DEFAULT_HISTOGRAM_BUCKETS: readonly number[] = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000,
];
const SUPPORTED_QUANTILES = [0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 100];
export const CUSTOM_STAT_NAMESPACE = 'wasmcustom';

/** A `stats_config.stats_tags` entry: the regex's first group is removed from the name, the 2nd (or 1st) is the value. */
export interface StatsTagRule {
  tagName: string;
  regex: string;
}

export interface Metric {
  readonly name: string;
  readonly type: MetricType;
  value: number;
  samples: number[];
}

interface ExtractedName {
  name: string;
  tags: [string, string][];
}

export class MetricStore {
  private readonly byName = new Map<string, Metric>();
  private readonly tagRules: { tagName: string; regex: RegExp }[];

  constructor(options: { statsTags?: StatsTagRule[] } = {}) {
    this.tagRules = (options.statsTags ?? []).map((r) => ({ tagName: r.tagName, regex: new RegExp(r.regex) }));
  }

  /** Find or create the stat `name` (full name incl. namespace). A type clash returns the existing stat. */
  define(name: string, type: MetricType): Metric {
    let m = this.byName.get(name);
    if (!m) {
      m = { name, type, value: 0, samples: [] };
      this.byName.set(name, m);
    }
    return m;
  }

  /** Stat by full name (`wasmcustom.x`) or by the plugin's name (`x`). */
  get(name: string): Metric | undefined {
    return this.byName.get(name) ?? this.byName.get(`${CUSTOM_STAT_NAMESPACE}.${name}`);
  }

  all(): Metric[] {
    return [...this.byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** `/stats` text: `name: value` for counters and gauges, then histograms with cumulative quantiles. */
  statsText(): string {
    const lines: string[] = [];
    const metrics = this.all();
    for (const m of metrics) if (m.type !== MetricType.Histogram) lines.push(`${m.name}: ${m.value}`);
    for (const m of metrics) {
      if (m.type !== MetricType.Histogram) continue;
      if (m.samples.length === 0) {
        lines.push(`${m.name}: No recorded values`);
        continue;
      }
      const q = SUPPORTED_QUANTILES.map((p) => `P${p}(nan,${formatNumber(quantile(m.samples, p))})`);
      lines.push(`${m.name}: ${q.join(' ')}`);
    }
    return lines.length ? `${lines.join('\n')}\n` : '';
  }

  /** `/stats?format=json`. */
  statsJson(): { stats: unknown[] } {
    const metrics = this.all();
    const stats: unknown[] = metrics
      .filter((m) => m.type !== MetricType.Histogram)
      .map((m) => ({ name: m.name, value: m.value }));
    const histograms = metrics.filter((m) => m.type === MetricType.Histogram);
    if (histograms.length) {
      stats.push({
        histograms: {
          supported_quantiles: SUPPORTED_QUANTILES,
          computed_quantiles: histograms.map((m) => ({
            name: m.name,
            values: SUPPORTED_QUANTILES.map((p) => ({
              interval: null,
              cumulative: m.samples.length ? quantile(m.samples, p) : null,
            })),
          })),
        },
      });
    }
    return { stats };
  }

  /** `/stats/prometheus` text format 0.0.4, like Envoy's PrometheusStatsFormatter for custom namespaces. */
  prometheus(): string {
    const families = new Map<string, { type: string; lines: string[] }>();
    const order: Metric[] = [
      ...this.all().filter((m) => m.type === MetricType.Counter),
      ...this.all().filter((m) => m.type === MetricType.Gauge),
      ...this.all().filter((m) => m.type === MetricType.Histogram),
    ];
    for (const m of order) {
      const extracted = this.extractTags(m.name);
      const family = prometheusName(extracted.name);
      const type = m.type === MetricType.Counter ? 'counter' : m.type === MetricType.Gauge ? 'gauge' : 'histogram';
      let f = families.get(family);
      if (!f) {
        f = { type, lines: [] };
        families.set(family, f);
      }
      const tags = extracted.tags.map(([k, v]) => `${sanitize(k)}="${escapeLabel(v)}"`).join(',');
      if (m.type !== MetricType.Histogram) {
        f.lines.push(`${family}{${tags}} ${m.value}`);
        continue;
      }
      const prefix = tags ? `${tags},` : '';
      for (const le of DEFAULT_HISTOGRAM_BUCKETS) {
        const count = m.samples.reduce((n, s) => (s <= le ? n + 1 : n), 0);
        f.lines.push(`${family}_bucket{${prefix}le="${formatNumber(le)}"} ${count}`);
      }
      f.lines.push(`${family}_bucket{${prefix}le="+Inf"} ${m.samples.length}`);
      f.lines.push(`${family}_sum{${tags}} ${formatNumber(m.samples.reduce((a, b) => a + b, 0))}`);
      f.lines.push(`${family}_count{${tags}} ${m.samples.length}`);
    }
    const names = [...families.keys()].sort();
    let out = '';
    for (const type of ['counter', 'gauge', 'histogram']) {
      for (const name of names) {
        const f = families.get(name)!;
        if (f.type !== type) continue;
        out += `# TYPE ${name} ${type}\n${f.lines.join('\n')}\n`;
      }
    }
    return out;
  }

  /** Apply `stats_tags` rules to a full stat name (Envoy TagExtractorStdRegexImpl: remove group 1, value group 2|1). */
  extractTags(fullName: string): ExtractedName {
    const tags: [string, string][] = [];
    const remove: [number, number][] = [];
    for (const rule of this.tagRules) {
      const m = rule.regex.exec(fullName);
      if (!m || m[1] === undefined) continue;
      const start = fullName.indexOf(m[1], m.index);
      remove.push([start, start + m[1].length]);
      tags.push([rule.tagName, m[2] ?? m[1]]);
    }
    if (!remove.length) return { name: fullName, tags };
    let name = '';
    for (let i = 0; i < fullName.length; i++) if (!remove.some(([a, b]) => i >= a && i < b)) name += fullName[i];
    return { name, tags };
  }
}

function prometheusName(extracted: string): string {
  const ns = `${CUSTOM_STAT_NAMESPACE}.`;
  const stripped = extracted.startsWith(ns) ? extracted.slice(ns.length) : extracted;
  return extracted.startsWith(ns) ? sanitize(stripped) : `envoy_${sanitize(stripped)}`;
}

function sanitize(name: string): string {
  return name.replace(/[^a-zA-Z0-9_:]/g, '_');
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(15)));
}

function quantile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 1) return sorted[0]!;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}
