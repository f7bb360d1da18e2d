// Fault configuration: JSON text → immutable FaultSettings, or {path, message} errors. No hostcalls.
// Names follow Envoy's envoy.extensions.filters.http.fault.v3.HTTPFault (JSON mapping).
import { Config, ObjectReader } from "../sdk";
import { readHeaderMatchers } from "../common/header-matcher";
import { readMethods } from "../common/methods";
import { parseDurationMs } from "./header-values";
import { FaultSettings, DelaySettings, AbortSettings, AbortKind, DEFAULT_ABORT_BODY } from "./settings";

export class FaultConfigResult {
  constructor(public settings: FaultSettings | null, public config: Config) {}
}

export function parseFaultConfig(text: string): FaultConfigResult {
  const config = Config.parse(text);
  const root = config.root;
  if (root === null) return new FaultConfigResult(null, config);
  const r = <ObjectReader>root;
  const s = new FaultSettings();
  const delay = r.object("delay");
  if (delay !== null) s.delay = readDelay(<ObjectReader>delay);
  const abort = r.object("abort");
  if (abort !== null) s.abort = readAbort(<ObjectReader>abort);
  if (!r.has("delay") && !r.has("abort")) config.error("", "expected delay or abort (or both)");
  s.headers = readHeaderMatchers(r, "headers", s.slots);
  s.pathPrefix = r.string("pathPrefix", "");
  if (r.has("pathPrefix") && r.obj.get("pathPrefix")!.isString && s.pathPrefix.length == 0) {
    config.error(r.pathOf("pathPrefix"), "expected a non-empty string");
  }
  s.methods = readMethods(r, "method");
  s.maxActiveFaults = r.int("maxActiveFaults", -1, 0, 0xffffffff);
  r.end();
  return new FaultConfigResult(config.ok ? s : null, config);
}

/** Percentage → millionths; sets `scale` (millionths per header unit). Returns -1 on error. */
class Percentage {
  perMillion: u32 = 0;
  headerScale: u32 = 10000;
}

function readPercentage(o: ObjectReader): Percentage {
  const p = new Percentage();
  const raw = o.obj.get("percentage");
  if (raw === null || raw.isNull) { o.requiredNumber("percentage"); return p; }
  if (!raw.isObj) {
    p.perMillion = <u32>Math.round(o.requiredNumber("percentage", 0, 100) * 10000);
    return p;
  }
  const f = o.object("percentage")!;
  const numerator = f.requiredInt("numerator", 0, 0xffffffff);
  const denominator = f.oneOf("denominator", ["HUNDRED", "TEN_THOUSAND", "MILLION"], "HUNDRED");
  f.end();
  const scale: u64 = denominator == "MILLION" ? 1 : denominator == "TEN_THOUSAND" ? 100 : 10000;
  const value = <u64>numerator * scale;
  p.perMillion = <u32>(value > 1000000 ? 1000000 : value); // Envoy: numerator > denominator means 100%
  p.headerScale = <u32>scale;
  return p;
}

function readDelay(o: ObjectReader): DelaySettings {
  const d = new DelaySettings();
  const hasFixed = o.has("fixedDelay"), hasHeader = o.has("headerDelay");
  if (hasFixed == hasHeader) o.config.error(o.path, "expected exactly one of fixedDelay, headerDelay");
  if (hasFixed) {
    const text = o.string("fixedDelay");
    if (o.obj.get("fixedDelay")!.isString) {
      const ms = parseDurationMs(text);
      if (ms <= 0) o.config.error(o.pathOf("fixedDelay"), "expected a duration like \"0.5s\" (1ms to 3600s, millisecond resolution)");
      else d.fixedMs = <u32>ms;
    }
  }
  if (hasHeader) {
    const h = o.object("headerDelay");
    if (h !== null) h.end();
    d.fromHeader = true;
  }
  const p = readPercentage(o);
  d.perMillion = p.perMillion;
  d.headerScale = p.headerScale;
  o.end();
  return d;
}

function readAbort(o: ObjectReader): AbortSettings {
  const a = new AbortSettings();
  const hasHttp = o.has("httpStatus"), hasGrpc = o.has("grpcStatus"), hasHeader = o.has("headerAbort");
  if (<i32>hasHttp + <i32>hasGrpc + <i32>hasHeader != 1) {
    o.config.error(o.path, "expected exactly one of httpStatus, grpcStatus, headerAbort");
  }
  if (hasHttp) {
    a.kind = AbortKind.Http;
    a.httpStatus = <u32>o.int("httpStatus", 0, 200, 599);
  } else if (hasGrpc) {
    a.kind = AbortKind.Grpc;
    a.httpStatus = 200;
    a.grpcStatus = <i32>o.int("grpcStatus", 0, 0, 16);
  } else if (hasHeader) {
    a.kind = AbortKind.Header;
    const h = o.object("headerAbort");
    if (h !== null) h.end();
  }
  a.body = o.string("body", DEFAULT_ABORT_BODY);
  if (a.body.length > 65536) o.config.error(o.pathOf("body"), "must be at most 65536 characters");
  const p = readPercentage(o);
  a.perMillion = p.perMillion;
  a.headerScale = p.headerScale;
  o.end();
  return a;
}
