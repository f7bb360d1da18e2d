// Fault filter. Three objects, as Envoy's fault filter: FaultSettings (immutable, config.ts),
// FaultRoot (settings + stats + VM-wide state: active-fault count, the delay queue, the tick timer),
// FaultStream (per request). onRequestHeaders reads: select settings → early-return matcher →
// maybeDelay → maybeAbort → Continue.
import {
  RootContext, Context, FilterHeadersStatusValues, requestHeaders, pluginConfiguration, currentTimeNanos,
  sendLocalResponse, continueRequest, setEffectiveContext, setTickPeriod, now,
} from "../sdk";
import { Xorshift32 } from "../common/random";
import { parseFaultConfig } from "./config";
import { FaultSettings, ABORT_DETAILS } from "./settings";
import { FaultStats } from "./stats";
import { matchesRequest, delayDuration, abortStatus, AbortDecision } from "./match";
import { DeadlineQueue } from "./deadline-queue";

export class FaultRoot extends RootContext {
  settings: FaultSettings | null = null;
  stats: FaultStats | null = null;
  rng: Xorshift32 = new Xorshift32(1);
  /** Requests with an active fault in this VM (maxActiveFaults is checked against this). */
  active: i64 = 0;
  private delayed: DeadlineQueue<FaultStream> = new DeadlineQueue<FaultStream>();
  private tickPeriod: u32 = 0;      // 0: timer stopped
  private tickArmedAt: u64 = 0;     // ms when the timer was (re)armed; next tick at armedAt + period

  onConfigure(size: u32): bool {
    const result = parseFaultConfig(pluginConfiguration(size));
    if (result.settings === null) {
      result.config.report("fault");
      return false;
    }
    this.settings = result.settings;
    if (this.stats === null) this.stats = new FaultStats();
    this.rng = new Xorshift32(currentTimeNanos());
    return true;
  }

  createContext(context_id: u32): Context {
    return new FaultStream(context_id, this);
  }

  /** Charge one active fault; false (and faults_overflow counted) when maxActiveFaults is reached. */
  tryActivate(): bool {
    const max = this.settings!.maxActiveFaults;
    if (max >= 0 && this.active >= max) {
      this.stats!.faultsOverflow.increment(1);
      return false;
    }
    this.active++;
    this.stats!.activeFaults.add(1);
    return true;
  }

  release(): void {
    this.active--;
    this.stats!.activeFaults.add(-1);
  }

  /** Resume `stream` at `deadline` (ms); re-arms the timer when this deadline is the nearest. */
  schedule(stream: FaultStream, deadline: u64): void {
    this.delayed.push(<i64>deadline, stream);
    const t = now();
    if (this.tickPeriod == 0 || deadline < this.tickArmedAt + <u64>this.tickPeriod) this.armTick(t, deadline);
  }

  onTick(): void {
    const t = now();
    while (this.delayed.hasDue(<i64>t)) {
      const stream = this.delayed.pop();
      if (!stream.finished) stream.resume();
    }
    setEffectiveContext(this.context_id);
    if (this.delayed.size == 0) {
      if (this.tickPeriod != 0) setTickPeriod(0);
      this.tickPeriod = 0;
      return;
    }
    this.armTick(t, <u64>this.delayed.nearest());
  }

  private armTick(t: u64, deadline: u64): void {
    const period = deadline > t ? <u32>(deadline - t) : 1;
    if (period != this.tickPeriod) setTickPeriod(period);
    this.tickPeriod = period;
    this.tickArmedAt = t;
  }
}

export class FaultStream extends Context {
  private fault: FaultRoot;
  private active: bool = false;
  /** Abort to send when the delay ends (null: continue). */
  private pendingAbort: AbortDecision | null = null;
  finished: bool = false;

  constructor(context_id: u32, root: FaultRoot) {
    super(context_id, root);
    this.fault = root;
  }

  onRequestHeaders(numHeaders: u32, endOfStream: bool): FilterHeadersStatusValues {
    const s = this.fault.settings;
    if (s === null) return FilterHeadersStatusValues.Continue;
    const h = requestHeaders();
    if (!matchesRequest(s, h)) return FilterHeadersStatusValues.Continue;
    const requestId = h.get("x-request-id");
    let abort: AbortDecision | null = null;
    if (s.abort !== null) abort = abortStatus(s.abort!, h, requestId, this.fault.rng);
    if (s.delay !== null) {
      const ms = delayDuration(s.delay!, h, requestId, this.fault.rng);
      if (ms > 0 && this.maybeDelay(<u64>ms, abort)) return FilterHeadersStatusValues.StopAllIterationAndWatermark;
    }
    if (abort !== null && this.maybeAbort(<AbortDecision>abort)) return FilterHeadersStatusValues.StopAllIterationAndWatermark;
    return FilterHeadersStatusValues.Continue;
  }

  /** Pause the request for `ms`; true when the delay was injected. */
  private maybeDelay(ms: u64, abort: AbortDecision | null): bool {
    if (!this.charge()) return false;
    this.fault.stats!.delaysInjected.increment(1);
    this.pendingAbort = abort;
    this.fault.schedule(this, now() + ms);
    return true;
  }

  /** Reply locally with the abort status; true when the abort was injected. */
  private maybeAbort(abort: AbortDecision): bool {
    if (!this.charge()) return false;
    this.sendAbort(abort);
    return true;
  }

  private sendAbort(abort: AbortDecision): void {
    this.fault.stats!.abortsInjected.increment(1);
    sendLocalResponse(abort.httpStatus, ABORT_DETAILS, this.fault.settings!.abort!.body, null, abort.grpcStatus);
  }

  /** One active fault per request, however many faults it gets (Envoy). */
  private charge(): bool {
    if (this.active) return true;
    if (!this.fault.tryActivate()) return false;
    this.active = true;
    return true;
  }

  /** Called from the root's tick when the delay is over. */
  resume(): void {
    setEffectiveContext(this.context_id);
    const abort = this.pendingAbort;
    this.pendingAbort = null;
    if (abort !== null) this.sendAbort(abort);
    else continueRequest();
  }

  onDone(): bool {
    this.finished = true;
    if (this.active) {
      this.active = false;
      this.fault.release();
    }
    return true;
  }
}
