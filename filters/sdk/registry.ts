// Context registry of the dispatcher (exports.ts): root factories by root_id, live roots, live streams.
// Streams are owned through raw pointers (one retain at creation, one release at proxy_on_delete) so the
// per-request lookups cause no reference-count traffic: in AssemblyScript 0.17 every decrement that leaves
// a count above zero queues the object for the cycle collector.
import { RootContext, Context } from "./context";
import { encodePropertyPath, getPropertyEncoded, log } from "./hostcalls";
import { LogLevelValues } from "./types";

type RootFactory = (context_id: u32) => RootContext;

const factories = new Map<string, RootFactory>();
const roots = new Map<u32, RootContext>();
let lastRootId = "";

// Live streams: a direct-mapped table indexed by the low bits of the id (ids grow by one per stream, so
// concurrent streams rarely collide), with a Map for collisions. No hashing on the per-request path.
const SLOT_BITS: u32 = 8;
const SLOT_MASK: u32 = (1 << SLOT_BITS) - 1;
const slotIds = new StaticArray<u32>(1 << SLOT_BITS);
const slotPtrs = new StaticArray<usize>(1 << SLOT_BITS);
const overflow = new Map<u32, usize>();

/**
 * Register the factory for the plugin whose `root_id` is `name` (call from the filter's index.ts top level).
 */
export function registerRootContext(factory: RootFactory, name: string): void {
  factories.set(name, factory);
}

/** root_id seen at the last root creation that found no factory ("" otherwise); for tests and logs. */
export function missingRootId(): string { return lastRootId; }

export function createRoot(context_id: u32): void {
  if (roots.has(context_id)) return;
  const value = getPropertyEncoded(encodePropertyPath(["plugin_root_id"]));
  let rootId = "";
  if (value !== null) rootId = String.UTF8.decode(value);
  if (!factories.has(rootId)) {
    lastRootId = rootId;
    // proxy_on_vm_start / proxy_on_configure then return false and the host refuses the plugin.
    log(LogLevelValues.critical, "no root context registered for root_id \"" + rootId + "\" (registered: " + factories.keys().join(", ") + ")");
    return;
  }
  const root = factories.get(rootId)(context_id);
  root.context_id = context_id;
  roots.set(context_id, root);
}

export function createStream(context_id: u32, root_context_id: u32): void {
  if (findStreamPtr(context_id) != 0) return;
  const rootPtr = findRootPtr(root_context_id);
  if (rootPtr == 0) return;
  // Own the new context through a raw pointer: one retain here, one release in removeContext.
  const ptr = __retain(changetype<usize>(changetype<RootContext>(rootPtr).createContext(context_id)));
  const slot = context_id & SLOT_MASK;
  if (unchecked(slotPtrs[slot]) == 0) {
    unchecked(slotIds[slot] = context_id);
    unchecked(slotPtrs[slot] = ptr);
  } else {
    overflow.set(context_id, ptr);
  }
}

let lastRootCtx: u32 = 0;
let lastRootPtr: usize = 0;

/** Raw pointer of a live root context, 0 when unknown (no reference-count traffic on the hot path). */
// @ts-ignore: decorator
@inline export function findRootPtr(context_id: u32): usize {
  if (context_id == lastRootCtx && lastRootPtr != 0) return lastRootPtr;
  return findRootPtrSlow(context_id);
}

function findRootPtrSlow(context_id: u32): usize {
  if (!roots.has(context_id)) return 0;
  lastRootCtx = context_id;
  lastRootPtr = changetype<usize>(roots.get(context_id));
  return lastRootPtr;
}

export function findRoot(context_id: u32): RootContext | null {
  const ptr = findRootPtr(context_id);
  if (ptr == 0) return null;
  return changetype<RootContext>(ptr);
}

/** Raw pointer of a live stream context, 0 when unknown (inlined into every dispatcher entry point). */
// @ts-ignore: decorator
@inline export function findStreamPtr(context_id: u32): usize {
  const slot = <usize>(context_id & SLOT_MASK);
  if (load<u32>(changetype<usize>(slotIds) + (slot << 2)) == context_id) {
    const ptr = load<usize>(changetype<usize>(slotPtrs) + (slot << alignof<usize>()));
    if (ptr != 0) return ptr;
  }
  if (overflow.size == 0) return 0;
  return findOverflowPtr(context_id);
}

function findOverflowPtr(context_id: u32): usize {
  if (!overflow.has(context_id)) return 0;
  return overflow.get(context_id);
}

export function findStream(context_id: u32): Context | null {
  const ptr = findStreamPtr(context_id);
  if (ptr == 0) return null;
  return changetype<Context>(ptr);
}

export function isLiveStream(context_id: u32): bool {
  return findStreamPtr(context_id) != 0;
}

export function removeContext(context_id: u32): void {
  const slot = context_id & SLOT_MASK;
  if (unchecked(slotIds[slot]) == context_id && unchecked(slotPtrs[slot]) != 0) {
    const ptr = unchecked(slotPtrs[slot]);
    unchecked(slotPtrs[slot] = 0);
    unchecked(slotIds[slot] = 0);
    __release(ptr);
    return;
  }
  if (overflow.size > 0 && overflow.has(context_id)) {
    const ptr = overflow.get(context_id);
    overflow.delete(context_id);
    __release(ptr);
    return;
  }
  if (roots.has(context_id)) {
    roots.delete(context_id);
    if (context_id == lastRootCtx) {
      lastRootCtx = 0;
      lastRootPtr = 0;
    }
  }
}
