// Immutable fault settings, built once by config.ts (no hostcalls).
import { HeaderMatcher } from "../common/header-matcher";
import { HeaderSlots } from "../common/request-view";

export const DEFAULT_ABORT_BODY = "fault filter abort";   // Envoy's local-reply body for fault aborts
export const ABORT_DETAILS = "fault_filter_abort";       // response code details, as Envoy's fault filter

export const enum AbortKind { Http = 0, Grpc = 1, Header = 2 }

export class DelaySettings {
  fromHeader: bool = false;
  fixedMs: u32 = 0;
  /** Configured share of matching requests, in millionths. */
  perMillion: u32 = 0;
  /** Millionths per unit of x-envoy-fault-delay-request-percentage (10000 for a percent). */
  headerScale: u32 = 10000;
}

export class AbortSettings {
  kind: AbortKind = AbortKind.Http;
  httpStatus: u32 = 0;
  grpcStatus: i32 = -1;
  body: string = DEFAULT_ABORT_BODY;
  perMillion: u32 = 0;
  headerScale: u32 = 10000;
}

export class FaultSettings {
  delay: DelaySettings | null = null;
  abort: AbortSettings | null = null;
  headers: HeaderMatcher[] = [];
  /** Header names `headers` matches on (one lookup per request each). */
  slots: HeaderSlots = new HeaderSlots();
  pathPrefix: string = "";
  methods: string[] = [];
  /** -1: unlimited. */
  maxActiveFaults: i64 = -1;
}
