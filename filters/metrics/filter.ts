// Root and stream contexts of the metrics filter: hook code only.
import {
  Config, Context, defineMetric, log, LogLevelValues, encodePropertyPath, FilterHeadersStatusValues, getPropertyEncoded, Headers,
  incrementMetric, MetricTypeValues, pluginConfiguration, recordMetric, requestHeaders, RootContext,
} from "../sdk";
import { parseSettings } from "./config";
import { authorityHost, codeLabel, labelSegments, sanitizeValue, spiffeNamespace } from "./labels";
import { findSeries, leafFor, LabelNode, SeriesIds } from "./label-tree";
import { responseFlagsLabel } from "./response-flags";
import { DestinationSource, Label, Settings, STANDARD_LABELS } from "./settings";

/** Property paths, encoded once. */
class PropertyPaths {
  responseCode: ArrayBuffer = encodePropertyPath(["response", "code"]);
  responseFlags: ArrayBuffer = encodePropertyPath(["response", "flags"]);
  uriSan: ArrayBuffer = encodePropertyPath(["connection", "uri_san_peer_certificate"]);
  cluster: ArrayBuffer = encodePropertyPath(["xds", "cluster_name"]);
  route: ArrayBuffer = encodePropertyPath(["xds", "route_name"]);
  // Envoy before 1.33 also had these at the top level; some older versions only there.
  legacyCluster: ArrayBuffer = encodePropertyPath(["cluster_name"]);
  legacyRoute: ArrayBuffer = encodePropertyPath(["route_name"]);
  duration: ArrayBuffer = encodePropertyPath(["request", "duration"]);
  requestSize: ArrayBuffer = encodePropertyPath(["request", "size"]);
  responseSize: ArrayBuffer = encodePropertyPath(["response", "size"]);
}

function intProperty(path: ArrayBuffer, fallback: i64): i64 {
  const v = getPropertyEncoded(path);
  if (v === null || v.byteLength != 8) return fallback;
  return load<i64>(changetype<usize>(v));
}

function stringProperty(path: ArrayBuffer): string {
  const v = getPropertyEncoded(path);
  if (v === null) return "";
  return String.UTF8.decode(v);
}

/** `path`, else `legacy` when the first is absent. */
function stringPropertyOr(path: ArrayBuffer, legacy: ArrayBuffer): string {
  const v = stringProperty(path);
  if (v.length > 0) return v;
  return stringProperty(legacy);
}

export class MetricsRoot extends RootContext {
  settings: Settings = new Settings();
  paths: PropertyPaths | null = null;
  /** Names of the labels in stat-name order (enabled standard labels, then extra labels). */
  labelNames: string[] = [];
  tree: LabelNode = new LabelNode();
  /** Label values of the request being logged (reused; one stream is logged at a time per VM). */
  values: string[] = [];
  /** Label combinations defined so far, and the series that takes new ones past `maxSeries`. */
  seriesCount: i32 = 0;
  overflow: SeriesIds | null = null;

  onConfigure(size: u32): bool {
    const cfg = Config.parse(pluginConfiguration(size));
    const settings = parseSettings(cfg);
    if (!cfg.ok) {
      cfg.report("metrics");
      return false;
    }
    this.settings = settings;
    this.paths = new PropertyPaths();
    const names = new Array<string>();
    for (let i = 0; i < STANDARD_LABELS.length; i++) if (settings.enabled[i]) names.push(STANDARD_LABELS[i]);
    for (let i = 0; i < settings.extra.length; i++) names.push(settings.extra[i].name);
    this.labelNames = names;
    this.values = new Array<string>(names.length);
    this.tree = new LabelNode();
    this.seriesCount = 0;
    this.overflow = null;
    return true;
  }

  createContext(id: u32): Context {
    return new MetricsStream(id, this);
  }

  /** Ids of the four stats for the current `values` (defined on first sight of the combination). */
  seriesFor(values: string[]): SeriesIds {
    const known = findSeries(this.tree, values);
    if (known !== null) return known;
    if (this.seriesCount >= this.settings.maxSeries) return this.overflowSeries(values.length);
    this.seriesCount++;
    const ids = this.define(values);
    leafFor(this.tree, values).series = ids;
    return ids;
  }

  /** Past maxSeries every new combination is recorded under one series whose labels are all "other". */
  private overflowSeries(count: i32): SeriesIds {
    let ids = this.overflow;
    if (ids === null) {
      log(LogLevelValues.warn, "metrics: maxSeries (" + this.settings.maxSeries.toString() +
        ") reached; new label combinations are recorded with every label \"other\"");
      const others = new Array<string>(count);
      for (let i = 0; i < count; i++) others[i] = "other";
      ids = this.define(others);
      this.overflow = ids;
    }
    return ids;
  }

  private define(values: string[]): SeriesIds {
    const base = labelSegments(this.labelNames, values) + this.settings.prefix;
    return new SeriesIds(
      defineMetric(MetricTypeValues.Counter, base + "requests_total"),
      defineMetric(MetricTypeValues.Histogram, base + "request_duration_milliseconds"),
      defineMetric(MetricTypeValues.Histogram, base + "request_bytes"),
      defineMetric(MetricTypeValues.Histogram, base + "response_bytes"),
    );
  }
}

export class MetricsStream extends Context {
  private sawHeaders: bool = false;
  private method: string = "";
  private authority: string = "";
  private grpc: bool = false;
  private extras: string[] = [];

  constructor(id: u32, public metrics: MetricsRoot) {
    super(id, metrics);
  }

  /** Copy what onLog needs: request headers are released once this returns Continue. */
  onRequestHeaders(numHeaders: u32, endOfStream: bool): FilterHeadersStatusValues {
    this.copyRequest(requestHeaders());
    return FilterHeadersStatusValues.Continue;
  }

  private copyRequest(h: Headers): void {
    this.sawHeaders = true;
    const s = this.metrics.settings;
    if (s.isEnabled(Label.RequestMethod)) {
      const m = h.get(":method");
      if (m !== null) this.method = m;
    }
    if (s.isEnabled(Label.DestinationService) && s.destination == DestinationSource.Authority) {
      const a = h.get(":authority");
      if (a !== null) this.authority = authorityHost(a);
    }
    if (s.isEnabled(Label.RequestProtocol)) {
      const ct = h.get("content-type");
      this.grpc = ct !== null && ct.startsWith("application/grpc");
    }
    if (s.extra.length > 0) {
      const extras = new Array<string>(s.extra.length);
      for (let i = 0; i < s.extra.length; i++) extras[i] = s.extra[i].valueFor(h.get(s.extra[i].header));
      this.extras = extras;
    }
  }

  onLog(): void {
    const root = this.metrics;
    const paths = root.paths;
    if (paths === null) return;
    // A stream whose request never reached this filter (local reply upstream of it): headers are readable now.
    if (!this.sawHeaders) this.copyRequest(requestHeaders());
    const s = root.settings;
    const v = root.values;
    let k = 0;
    if (s.isEnabled(Label.ResponseCode)) v[k++] = codeLabel(intProperty(paths.responseCode, 0));
    if (s.isEnabled(Label.RequestMethod)) v[k++] = sanitizeValue(this.method);
    if (s.isEnabled(Label.RequestProtocol)) {
      if (this.grpc) v[k++] = "grpc";
      else v[k++] = "http";
    }
    if (s.isEnabled(Label.SourcePrincipal) || s.isEnabled(Label.SourceNamespace)) {
      const uri = stringProperty(paths.uriSan);
      if (s.isEnabled(Label.SourcePrincipal)) v[k++] = sanitizeValue(uri);
      if (s.isEnabled(Label.SourceNamespace)) v[k++] = sanitizeValue(spiffeNamespace(uri));
    }
    if (s.isEnabled(Label.DestinationService)) {
      if (s.destination == DestinationSource.Cluster) v[k++] = sanitizeValue(stringPropertyOr(paths.cluster, paths.legacyCluster));
      else v[k++] = sanitizeValue(this.authority);
    }
    if (s.isEnabled(Label.RouteName)) v[k++] = sanitizeValue(stringPropertyOr(paths.route, paths.legacyRoute));
    if (s.isEnabled(Label.ResponseFlags)) v[k++] = responseFlagsLabel(<u64>intProperty(paths.responseFlags, 0));
    for (let i = 0; i < this.extras.length; i++) v[k++] = sanitizeValue(this.extras[i]);
    this.recordRequest(root.seriesFor(v), paths);
  }

  private recordRequest(ids: SeriesIds, paths: PropertyPaths): void {
    incrementMetric(ids.requests, 1);
    const durationNs = intProperty(paths.duration, -1);
    if (durationNs >= 0) recordMetric(ids.duration, <u64>(durationNs / 1000000));
    const reqBytes = intProperty(paths.requestSize, 0);
    recordMetric(ids.requestBytes, reqBytes < 0 ? 0 : <u64>reqBytes);
    const respBytes = intProperty(paths.responseSize, 0);
    recordMetric(ids.responseBytes, respBytes < 0 ? 0 : <u64>respBytes);
  }
}
