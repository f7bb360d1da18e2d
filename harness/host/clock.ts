/** Clocks: the real one (Date + setTimeout) and a ManualClock for tests (`advance(ms)` fires due timers in order). */
import type { Clock, TimerHandle } from './types.ts';

export class RealClock implements Clock {
  private readonly origin = process.hrtime.bigint();
  now(): number {
    return Date.now();
  }
  monotonicNs(): bigint {
    return process.hrtime.bigint() - this.origin;
  }
  setTimer(delayMs: number, fire: () => void): TimerHandle {
    const t = setTimeout(fire, delayMs);
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  }
}

interface PendingTimer {
  due: number;
  seq: number;
  fire: () => void;
  cancelled: boolean;
}

/** Deterministic clock: time only moves with `advance(ms)`; timers due on the way fire in due order. */
export class ManualClock implements Clock {
  private current: number;
  private seq = 0;
  private timers: PendingTimer[] = [];

  constructor(startMs = 1_700_000_000_000) {
    this.current = startMs;
  }
  now(): number {
    return this.current;
  }
  monotonicNs(): bigint {
    return BigInt(this.current) * 1_000_000n;
  }
  setTimer(delayMs: number, fire: () => void): TimerHandle {
    const timer: PendingTimer = { due: this.current + Math.max(0, delayMs), seq: this.seq++, fire, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => { timer.cancelled = true; } };
  }
  /** Number of live timers (ticks and http-call timeouts). */
  get pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
  /** Move time forward by `ms`, firing each timer at its due time (timers armed while firing also count). */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      this.timers = this.timers.filter((t) => !t.cancelled);
      let next: PendingTimer | undefined;
      for (const t of this.timers) {
        if (t.due <= target && (!next || t.due < next.due || (t.due === next.due && t.seq < next.seq))) next = t;
      }
      if (!next) break;
      this.current = Math.max(this.current, next.due);
      next.cancelled = true;
      next.fire();
    }
    this.current = target;
  }
}
