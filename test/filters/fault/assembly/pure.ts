// Test-only exports over the fault filter's pure modules (compiled by test/filters/fault/pure.test.ts).
import { DeadlineQueue } from "../../../../filters/fault/deadline-queue";
import { parseUint32, parseScaled, parseDurationMs } from "../../../../filters/fault/header-values";
import { requestIdBucket } from "../../../../filters/common/decision";

const held: ArrayBuffer[] = [];
export function input(len: i32): usize { const b = new ArrayBuffer(len); held.push(b); return changetype<usize>(b); }
export function reset(): void { held.length = 0; }
function str(ptr: usize, len: i32): string { return String.UTF8.decode(changetype<ArrayBuffer>(ptr).slice(0, len)); }

let queue = new DeadlineQueue<i32>();
export function queueReset(): void { queue = new DeadlineQueue<i32>(); }
export function queuePush(deadline: i64, item: i32): void { queue.push(deadline, item); }
export function queueSize(): i32 { return queue.size; }
export function queueNearest(): i64 { return queue.nearest(); }
/** Pops the nearest item if due at `now`, else returns -1. */
export function queuePopDue(now: i64): i32 { return queue.hasDue(now) ? queue.pop() : -1; }

export function uint32(ptr: usize, len: i32): i64 { return parseUint32(str(ptr, len)); }
export function scaled(ptr: usize, len: i32, scale: i64): i64 { return parseScaled(str(ptr, len), scale); }
export function durationMs(ptr: usize, len: i32): i64 { return parseDurationMs(str(ptr, len)); }
export function bucket(ptr: usize, len: i32, salt: u32): u32 { return requestIdBucket(str(ptr, len), salt); }
