/** Logging, time, status, effective context and proxy_done (reference §2.3 "Logging, time, misc"). */
import { LOG_LEVEL_NAMES, WasmResult } from '../status.ts';
import type { WasmVm } from '../vm.ts';

export const loggingHostcalls = {
  /** level 0..5; > 5 → BadArgument; bad memory → InvalidMemoryAccess. Only lines at/above the host level are kept. */
  proxy_log(vm: WasmVm, level: number, ptr: number, len: number): number {
    const lvl = level >>> 0;
    if (lvl > 5) return WasmResult.BadArgument;
    const message = vm.memory.string(ptr, len);
    if (message === null) return WasmResult.InvalidMemoryAccess;
    if (lvl >= vm.services.logLevel()) vm.log(LOG_LEVEL_NAMES[lvl]!, message);
    return WasmResult.Ok;
  },

  /** ABI 0.2.1: level of Envoy's `wasm` logger (0..6, 6 = off). */
  proxy_get_log_level(vm: WasmVm, levelPtr: number): number {
    return vm.memory.writeU32(levelPtr, vm.services.logLevel()) ? WasmResult.Ok : WasmResult.InvalidMemoryAccess;
  },

  /** Wall clock ns since epoch, read at call time. */
  proxy_get_current_time_nanoseconds(vm: WasmVm, resultPtr: number): number {
    const ns = BigInt(Math.trunc(vm.services.clock.now())) * 1_000_000n;
    return vm.memory.writeU64(resultPtr, ns) ? WasmResult.Ok : WasmResult.InvalidMemoryAccess;
  },

  /** Status of the root context (set by a failed http_call). */
  proxy_get_status(vm: WasmVm, codePtr: number, msgPtrPtr: number, msgLenPtr: number): number {
    const ctx = vm.context();
    const status = ctx ? ctx.root.status : { code: 0, message: '' };
    if (!vm.memory.writeU32(codePtr, status.code)) return WasmResult.InvalidMemoryAccess;
    return vm.memory.returnBytes(msgPtrPtr, msgLenPtr, status.message);
  },

  /** Unknown id → BadArgument; else hostcalls in this VM entry act on that context. */
  proxy_set_effective_context(vm: WasmVm, contextId: number): number {
    const id = contextId >>> 0;
    const ctx = vm.contexts.get(id);
    if (!ctx || (!ctx.isRoot && ctx.done)) return WasmResult.BadArgument;
    vm.effectiveContextId = id;
    return WasmResult.Ok;
  },

  /** Root waiting for proxy_done (on_done returned false) → Ok and on_delete after this call; else NotFound. */
  proxy_done(vm: WasmVm): number {
    const ctx = vm.context();
    if (!ctx || !ctx.isRoot || !ctx.awaitingDone) return WasmResult.NotFound;
    ctx.awaitingDone = false;
    vm.deferAfterCall(() => {
      ctx.deleted = true;
      vm.callHook('proxy_on_delete', ctx.id);
      vm.contexts.delete(ctx.id);
    });
    return WasmResult.Ok;
  },
};
