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

// Strings passed to the host (header names and values, log messages) are encoded into one reusable area
// instead of a new ArrayBuffer per call: no allocation, no free, no reference counting per hostcall.
// Hostcalls never run concurrently within a VM, and the host does not keep argument pointers after a call.
const SCRATCH_LIMIT: usize = 16384;
let scratchBuffer: ArrayBuffer = new ArrayBuffer(256);

/**
 * Base of the reusable area, at least `size` bytes (contents valid until the next hostcall), or 0 when `size`
 * is above the limit (the caller then allocates, so a rare huge argument does not stay resident).
 */
export function scratch(size: usize): usize {
  if (size > SCRATCH_LIMIT) return 0;
  let cap = <usize>scratchBuffer.byteLength;
  if (cap < size) {
    while (cap < size) cap <<= 1;
    scratchBuffer = new ArrayBuffer(<i32>cap);
  }
  return changetype<usize>(scratchBuffer);
}

/** Upper bound of the UTF-8 size of `s` (3 bytes per UTF-16 unit). */
// @ts-ignore: decorator
@inline export function utf8Max(s: string): usize { return <usize>s.length * 3; }

/** Encode `s` as UTF-8 at `at` (room checked by the caller); returns the byte count. */
// @ts-ignore: decorator
@inline export function encodeAt(s: string, at: usize): usize {
  return String.UTF8.encodeUnsafe(changetype<usize>(s), s.length, at);
}
