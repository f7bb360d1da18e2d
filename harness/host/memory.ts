/**
 * Guest linear memory access with cpp-host's rules (reference §2.2): bounds-checked reads/writes, results
 * copied into memory obtained from the module's own allocator with the exact length, 0/0 for empty.
 * Views are re-created only when `memory.buffer` changed (growth detaches the old buffer).
 */
import { WasmResult } from './status.ts';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export class GuestMemory {
  private buffer: ArrayBuffer;
  private bytes: Uint8Array;
  private view: DataView;

  constructor(
    private readonly memory: WebAssembly.Memory,
    /** Calls the module's `malloc` (or `proxy_on_memory_allocate`); returns 0 on failure. */
    private readonly allocate: (size: number) => number,
  ) {
    this.buffer = memory.buffer;
    this.bytes = new Uint8Array(this.buffer);
    this.view = new DataView(this.buffer);
  }

  private refresh(): void {
    if (this.memory.buffer !== this.buffer) {
      this.buffer = this.memory.buffer;
      this.bytes = new Uint8Array(this.buffer);
      this.view = new DataView(this.buffer);
    }
  }

  get size(): number {
    this.refresh();
    return this.bytes.length;
  }

  inBounds(ptr: number, len: number): boolean {
    this.refresh();
    const p = ptr >>> 0;
    const l = len >>> 0;
    return p + l <= this.bytes.length;
  }

  /** A view (not a copy) of guest bytes; valid until the next call into the module. Null when out of bounds. */
  view8(ptr: number, len: number): Uint8Array | null {
    if (!this.inBounds(ptr, len)) return null;
    const p = ptr >>> 0;
    return this.bytes.subarray(p, p + (len >>> 0));
  }

  /** A copy of guest bytes, or null when out of bounds. */
  copy(ptr: number, len: number): Uint8Array | null {
    const v = this.view8(ptr, len);
    return v === null ? null : v.slice();
  }

  string(ptr: number, len: number): string | null {
    const v = this.view8(ptr, len);
    return v === null ? null : decoder.decode(v);
  }

  u32(ptr: number): number | null {
    if (!this.inBounds(ptr, 4)) return null;
    return this.view.getUint32(ptr >>> 0, true);
  }

  writeU32(ptr: number, value: number): boolean {
    if (!this.inBounds(ptr, 4)) return false;
    this.view.setUint32(ptr >>> 0, value >>> 0, true);
    return true;
  }

  writeU64(ptr: number, value: bigint): boolean {
    if (!this.inBounds(ptr, 8)) return false;
    this.view.setBigUint64(ptr >>> 0, BigInt.asUintN(64, value), true);
    return true;
  }

  writeBytes(ptr: number, data: Uint8Array): boolean {
    if (!this.inBounds(ptr, data.length)) return false;
    this.bytes.set(data, ptr >>> 0);
    return true;
  }

  /**
   * cpp-host `copyToPointerSize`: allocate exactly `data.length` bytes in the guest (none when empty), copy,
   * then write pointer and size words. Allocation failure or bad output addresses → InvalidMemoryAccess.
   */
  returnBytes(ptrPtr: number, sizePtr: number, data: Uint8Array | string): WasmResult {
    const bytes = typeof data === 'string' ? encoder.encode(data) : data;
    let pointer = 0;
    if (bytes.length > 0) {
      pointer = this.allocate(bytes.length) >>> 0;
      if (pointer === 0 || !this.writeBytes(pointer, bytes)) return WasmResult.InvalidMemoryAccess;
    }
    if (!this.writeU32(ptrPtr, pointer)) return WasmResult.InvalidMemoryAccess;
    if (!this.writeU32(sizePtr, bytes.length)) return WasmResult.InvalidMemoryAccess;
    return WasmResult.Ok;
  }
}
