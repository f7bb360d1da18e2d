/**
 * Metrics (reference §5.9): ids per VM with the type in the low 2 bits (counters 4, 8…; gauges 5, 9…;
 * histograms 6, 10…), stats named `wasmcustom.<name>` in the process-wide store.
 */
import type { Metric } from '../metrics.ts';
import { CUSTOM_STAT_NAMESPACE } from '../metrics.ts';
import { MAX_METRIC_TYPE, MetricType, WasmResult } from '../status.ts';
import type { WasmVm } from '../vm.ts';

interface MetricTable {
  /** Last id handed out per type (Envoy next_{counter,gauge,histogram}_metric_id_, start = type). */
  last: [number, number, number];
  ids: Map<number, Metric>;
}
const byVm = new WeakMap<WasmVm, MetricTable>();
const ID_STEP = 4;

function table(vm: WasmVm): MetricTable {
  let t = byVm.get(vm);
  if (!t) byVm.set(vm, (t = { last: [0, 1, 2], ids: new Map() }));
  return t;
}

export const metricsHostcalls = {
  /** type > 2 → BadArgument; each define returns a new id bound to the same stat. */
  proxy_define_metric(vm: WasmVm, type: number, namePtr: number, nameLen: number, idPtr: number): number {
    if (type >>> 0 > MAX_METRIC_TYPE) return WasmResult.BadArgument;
    const name = vm.memory.string(namePtr, nameLen);
    if (name === null) return WasmResult.InvalidMemoryAccess;
    const t = table(vm);
    const id = (t.last[type as 0 | 1 | 2] += ID_STEP);
    t.ids.set(id >>> 0, vm.services.metrics.define(`${CUSTOM_STAT_NAMESPACE}.${name}`, type as MetricType));
    return vm.memory.writeU32(idPtr, id) ? WasmResult.Ok : WasmResult.InvalidMemoryAccess;
  },

  /** Counter: delta > 0 else BadArgument; gauge: add; histogram → BadArgument; unknown → NotFound. */
  proxy_increment_metric(vm: WasmVm, id: number, delta: bigint): number {
    const m = table(vm).ids.get(id >>> 0);
    if (!m) return WasmResult.NotFound;
    if (m.type === MetricType.Histogram) return WasmResult.BadArgument;
    if (m.type === MetricType.Counter) {
      if (delta <= 0n) return WasmResult.BadArgument;
      m.value += Number(delta);
    } else {
      m.value += Number(delta);
    }
    return WasmResult.Ok;
  },

  /** Counter: add; gauge: set; histogram: record a sample. */
  proxy_record_metric(vm: WasmVm, id: number, value: bigint): number {
    const m = table(vm).ids.get(id >>> 0);
    if (!m) return WasmResult.NotFound;
    const v = Number(BigInt.asUintN(64, value));
    if (m.type === MetricType.Counter) m.value += v;
    else if (m.type === MetricType.Gauge) m.value = v;
    else m.samples.push(v);
    return WasmResult.Ok;
  },

  /** Counter/gauge value as u64; histogram → BadArgument. */
  proxy_get_metric(vm: WasmVm, id: number, resultPtr: number): number {
    const m = table(vm).ids.get(id >>> 0);
    if (!m) return WasmResult.NotFound;
    if (m.type === MetricType.Histogram) return WasmResult.BadArgument;
    return vm.memory.writeU64(resultPtr, BigInt(Math.trunc(m.value))) ? WasmResult.Ok : WasmResult.InvalidMemoryAccess;
  },
};
