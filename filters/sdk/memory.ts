// Linear-memory plumbing shared by the hostcall wrappers: the allocator the host calls, the output
// slots the host writes into, and taking ownership of host-written buffers without leaking them.

/**
 * Allocator export used by the host for every value it returns. The block is a managed ArrayBuffer with
 * reference count 0: `takeBuffer` turns it into an owned reference, so it is freed with the last reference.
 */
export function allocate(size: usize): usize {
  return __new(size, idof<ArrayBuffer>());
}

/** Counterpart of `allocate` for hosts that free what they allocated (Envoy never does). */
export function deallocate(ptr: usize): void {
  if (ptr == 0) return;
  __release(__retain(ptr));
}

// Output slots: pointer, size, and one extra 8-byte slot (cas, token, metric id, time, value).
// One static block, allocated once at start-up; hostcalls never run concurrently within a VM.
const SLOTS: ArrayBuffer = new ArrayBuffer(24);
// @ts-ignore: decorator
@inline export function ptrSlot(): usize { return changetype<usize>(SLOTS); }
// @ts-ignore: decorator
@inline export function sizeSlot(): usize { return changetype<usize>(SLOTS) + 4; }
// @ts-ignore: decorator
@inline export function valueSlot(): usize { return changetype<usize>(SLOTS) + 8; }
// @ts-ignore: decorator
@inline export function extraSlot(): usize { return changetype<usize>(SLOTS) + 16; }

/** Zero the pointer/size slots before a hostcall that may return a buffer. */
// @ts-ignore: decorator
@inline export function clearSlots(): void {
  store<u64>(changetype<usize>(SLOTS), 0);
  store<u64>(changetype<usize>(SLOTS) + 8, 0);
}

/**
 * Take ownership of the buffer the host wrote into the pointer/size slots (whatever the status, so an
 * allocation is never leaked). Returns null when the host returned nothing (pointer 0 or size 0).
 */
export function takeSlotBuffer(): ArrayBuffer | null {
  const ptr = load<u32>(ptrSlot());
  const size = load<u32>(sizeSlot());
  store<u64>(ptrSlot(), 0);
  if (ptr == 0) return null;
  const buffer = changetype<ArrayBuffer>(<usize>ptr);
  if (size == 0) return null;
  // The host may report fewer bytes than it allocated only if it is broken; never read past the block.
  if (<i32>size > buffer.byteLength) return null;
  if (<i32>size < buffer.byteLength) return buffer.slice(0, <i32>size);
  return buffer;
}

/** Like `takeSlotBuffer`, but an empty value is an empty buffer rather than null. */
export function takeSlotBufferOrEmpty(): ArrayBuffer {
  const buffer = takeSlotBuffer();
  if (buffer === null) return new ArrayBuffer(0);
  return buffer;
}
