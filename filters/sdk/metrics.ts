// Metrics: each object defines its metric once (normally in onConfigure) and keeps the id.
// Envoy names them `wasmcustom.<name>`; Prometheus shows `<name>` with `.` turned into `_`.
import { MetricTypeValues, WasmResultValues } from "./types";
import { defineMetric, incrementMetric, recordMetric, getMetric } from "./hostcalls";

/** A monotonically increasing counter. */
export class Counter {
  readonly id: u32;
  constructor(readonly name: string) {
    this.id = defineMetric(MetricTypeValues.Counter, name);
  }
  /** Add `delta` (> 0). No hostcall when the metric could not be defined (returns NotFound). */
  increment(delta: i64 = 1): WasmResultValues {
    return this.id == 0 ? WasmResultValues.NotFound : incrementMetric(this.id, delta);
  }
  /** Current value as the host sees it (0 when unknown). */
  get value(): u64 { return this.id == 0 ? 0 : getMetric(this.id); }
}

/** A value that goes up and down. */
export class Gauge {
  readonly id: u32;
  constructor(readonly name: string) {
    this.id = defineMetric(MetricTypeValues.Gauge, name);
  }
  /** Add `delta` (negative subtracts). */
  add(delta: i64): WasmResultValues {
    return this.id == 0 ? WasmResultValues.NotFound : incrementMetric(this.id, delta);
  }
  /** Set the value. */
  set(value: u64): WasmResultValues {
    return this.id == 0 ? WasmResultValues.NotFound : recordMetric(this.id, value);
  }
  get value(): u64 { return this.id == 0 ? 0 : getMetric(this.id); }
}

/** A distribution of samples. */
export class Histogram {
  readonly id: u32;
  constructor(readonly name: string) {
    this.id = defineMetric(MetricTypeValues.Histogram, name);
  }
  record(value: u64): WasmResultValues {
    return this.id == 0 ? WasmResultValues.NotFound : recordMetric(this.id, value);
  }
}

/**
 * Metrics whose names are built at run time (e.g. labels folded into the name). Each distinct name is
 * defined once; at most `limit` names per kind are kept (beyond that, every call defines again).
 */
export class MetricCache {
  private counters: Map<string, Counter> = new Map<string, Counter>();
  private gauges: Map<string, Gauge> = new Map<string, Gauge>();
  private histograms: Map<string, Histogram> = new Map<string, Histogram>();
  constructor(readonly limit: i32 = 1024) {}

  counter(name: string): Counter {
    if (this.counters.has(name)) return this.counters.get(name);
    const metric = new Counter(name);
    if (this.counters.size < this.limit) this.counters.set(name, metric);
    return metric;
  }
  gauge(name: string): Gauge {
    if (this.gauges.has(name)) return this.gauges.get(name);
    const metric = new Gauge(name);
    if (this.gauges.size < this.limit) this.gauges.set(name, metric);
    return metric;
  }
  histogram(name: string): Histogram {
    if (this.histograms.has(name)) return this.histograms.get(name);
    const metric = new Histogram(name);
    if (this.histograms.size < this.limit) this.histograms.set(name, metric);
    return metric;
  }
  get size(): i32 { return this.counters.size + this.gauges.size + this.histograms.size; }
}
