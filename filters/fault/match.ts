// Pure fault decisions over the request view: does the request match, is a delay/abort enabled,
// how long, which status. Header control (x-envoy-fault-*) only when the settings enable it.
import { Headers } from "../sdk";
import { HeaderMatcher, matchesHeader } from "../common/header-matcher";
import { matchesMethod } from "../common/methods";
import { RequestView } from "../common/request-view";
import { regionMatches } from "../common/text";
import { isSelected, SALT_DELAY, SALT_ABORT } from "../common/decision";
import { Xorshift32 } from "../common/random";
import { parseUint32, parseScaled } from "./header-values";
import { FaultSettings, DelaySettings, AbortSettings, AbortKind } from "./settings";

export const HEADER_ABORT = "x-envoy-fault-abort-request";
export const HEADER_ABORT_GRPC = "x-envoy-fault-abort-grpc-request";
export const HEADER_ABORT_PERCENTAGE = "x-envoy-fault-abort-request-percentage";
export const HEADER_DELAY = "x-envoy-fault-delay-request";
export const HEADER_DELAY_PERCENTAGE = "x-envoy-fault-delay-request-percentage";

/** Do the request's headers, path and method satisfy the settings' match (Envoy: `headers`)? */
export function matchesRequest(s: FaultSettings, h: Headers): bool {
  if (s.methods.length > 0 && !matchesMethod(s.methods, h.get(":method"))) return false;
  if (s.pathPrefix.length > 0) {
    const path = h.get(":path");
    if (path === null || !regionMatches(<string>path, 0, s.pathPrefix, false)) return false;
  }
  if (s.headers.length == 0) return true;
  const view = new RequestView(h, s.slots);
  // Elements are read as raw pointers: no retain/release pair per matcher (AssemblyScript 0.17).
  const data = s.headers.dataStart;
  for (let i = 0; i < s.headers.length; i++) {
    const m = load<usize>(data + (<usize>i << alignof<usize>()));
    if (!matchesHeader(changetype<HeaderMatcher>(m), view.value(changetype<HeaderMatcher>(m).slot))) return false;
  }
  return true;
}

/**
 * Effective share in millionths: the configured one, lowered by a percentage header when header
 * control is on (Envoy: min(header numerator, configured numerator) over the configured denominator).
 */
export function effectivePerMillion(configured: u32, headerScale: u32, fromHeader: bool, h: Headers, header: string): u32 {
  if (!fromHeader) return configured;
  const v = h.get(header);
  if (v === null) return configured;
  const parsed = parseScaled(<string>v, <i64>headerScale);
  if (parsed < 0) return configured;
  return parsed < <i64>configured ? <u32>parsed : configured;
}

/** Delay in ms for this request, or -1 for none. */
export function delayDuration(d: DelaySettings, h: Headers, requestId: string | null, rng: Xorshift32): i64 {
  let ms: i64 = d.fixedMs;
  if (d.fromHeader) {
    const v = h.get(HEADER_DELAY);
    if (v === null) return -1;
    ms = parseUint32(<string>v);
    if (ms <= 0) return -1;
  }
  const share = effectivePerMillion(d.perMillion, d.headerScale, d.fromHeader, h, HEADER_DELAY_PERCENTAGE);
  return isSelected(share, requestId, SALT_DELAY, rng) ? ms : -1;
}

/** Abort decision: HTTP status and gRPC status (-1 = none). */
export class AbortDecision {
  constructor(public httpStatus: u32, public grpcStatus: i32) {}
}

/** The abort to inject for this request, or null. HTTP status wins over gRPC status (Envoy). */
export function abortStatus(a: AbortSettings, h: Headers, requestId: string | null, rng: Xorshift32): AbortDecision | null {
  let http: u32 = a.httpStatus;
  let grpc: i32 = a.grpcStatus;
  const fromHeader = a.kind == AbortKind.Header;
  if (fromHeader) {
    http = 0;
    grpc = -1;
    const hv = h.get(HEADER_ABORT);
    if (hv !== null) {
      const code = parseUint32(<string>hv);
      if (code >= 200 && code < 600) http = <u32>code;
    }
    if (http == 0) {
      const gv = h.get(HEADER_ABORT_GRPC);
      if (gv !== null) {
        const code = parseUint32(<string>gv);
        if (code >= 0 && code <= 16) { grpc = <i32>code; http = 200; }
      }
    }
    if (http == 0) return null;
  }
  const share = effectivePerMillion(a.perMillion, a.headerScale, fromHeader, h, HEADER_ABORT_PERCENTAGE);
  return isSelected(share, requestId, SALT_ABORT, rng) ? new AbortDecision(http, grpc) : null;
}
