/**
 * Envoy's built-in downstream/upstream counters the emulator keeps, in the host's MetricStore so that
 * `/stats` and `/stats/prometheus` show them next to the Wasm metrics. Names follow Envoy
 * (`http.<stat_prefix>.downstream_rq_2xx`, `cluster.<name>.upstream_rq_total`); the default tag extractors
 * below turn them into Envoy's Prometheus labels.
 */
import { MetricType, type MetricStore, type StatsTagRule } from '../host/index.ts';

/** The subset of Envoy's default tag extractors (`use_all_default_tags`) matching the stats kept here. */
export const DEFAULT_STATS_TAGS: StatsTagRule[] = [
  // Envoy prints `downstream_rq_2xx` as `envoy_http_downstream_rq_xx{envoy_response_code_class="2"}`.
  { tagName: 'envoy.response_code_class', regex: '_rq_((\\d))xx$' },
  { tagName: 'envoy.http_conn_manager_prefix', regex: '^http\\.((.*?)\\.)' },
  { tagName: 'envoy.cluster_name', regex: '^cluster\\.((.*?)\\.)' },
];

export class DataPlaneStats {
  constructor(private readonly store: MetricStore) {}

  private inc(name: string, type: MetricType = MetricType.Counter, delta = 1): void {
    this.store.define(name, type).value += delta;
  }

  downstreamConnection(statPrefix: string, active: number): void {
    this.inc(`http.${statPrefix}.downstream_cx_total`);
    this.store.define(`http.${statPrefix}.downstream_cx_active`, MetricType.Gauge).value = active;
  }

  downstreamRequest(statPrefix: string): void {
    this.inc(`http.${statPrefix}.downstream_rq_total`);
    this.store.define(`http.${statPrefix}.downstream_rq_active`, MetricType.Gauge).value += 1;
  }

  downstreamResponse(statPrefix: string, status: number): void {
    this.inc(`http.${statPrefix}.downstream_rq_${Math.floor(status / 100)}xx`);
    this.store.define(`http.${statPrefix}.downstream_rq_active`, MetricType.Gauge).value -= 1;
  }

  upstreamRequest(cluster: string): void {
    this.inc(`cluster.${cluster}.upstream_rq_total`);
  }

  upstreamResponse(cluster: string, status: number): void {
    this.inc(`cluster.${cluster}.upstream_rq_${Math.floor(status / 100)}xx`);
  }

  upstreamConnectFail(cluster: string): void {
    this.inc(`cluster.${cluster}.upstream_cx_connect_fail`);
  }

  upstreamTimeout(cluster: string): void {
    this.inc(`cluster.${cluster}.upstream_rq_timeout`);
  }

  noHealthyUpstream(cluster: string): void {
    this.inc(`cluster.${cluster}.upstream_cx_none_healthy`);
  }

  /** Pre-create a cluster's counters at 0, as Envoy does at start-up. */
  declareCluster(cluster: string): void {
    for (const s of ['upstream_rq_total', 'upstream_cx_connect_fail', 'upstream_rq_timeout', 'upstream_cx_none_healthy']) this.store.define(`cluster.${cluster}.${s}`, MetricType.Counter);
  }

  declareHcm(statPrefix: string): void {
    this.store.define(`http.${statPrefix}.downstream_rq_total`, MetricType.Counter);
    this.store.define(`http.${statPrefix}.downstream_cx_total`, MetricType.Counter);
  }
}
