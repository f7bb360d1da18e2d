/** Shared queues (reference §5.8): register/resolve/enqueue/dequeue; on_queue_ready posted to the registrant. */
import { WasmResult } from '../status.ts';
import type { WasmVm } from '../vm.ts';

export const queuesHostcalls = {
  proxy_register_shared_queue(vm: WasmVm, namePtr: number, nameLen: number, tokenPtr: number): number {
    const name = vm.memory.string(namePtr, nameLen);
    if (name === null) return WasmResult.InvalidMemoryAccess;
    const ctx = vm.context();
    const rootId = ctx ? ctx.root.id : 0;
    const token = vm.services.queues.register(vm.plugin.vmId, name, {
      notify: (t) => vm.services.post(() => vm.callHook('proxy_on_queue_ready', rootId, t)),
    });
    return vm.memory.writeU32(tokenPtr, token) ? WasmResult.Ok : WasmResult.InvalidMemoryAccess;
  },

  /** Empty vm_id = own; unknown → NotFound. */
  proxy_resolve_shared_queue(vm: WasmVm, vmIdPtr: number, vmIdLen: number, namePtr: number, nameLen: number, tokenPtr: number): number {
    const vmId = vm.memory.string(vmIdPtr, vmIdLen);
    const name = vm.memory.string(namePtr, nameLen);
    if (vmId === null || name === null) return WasmResult.InvalidMemoryAccess;
    const token = vm.services.queues.resolve(vmId === '' ? vm.plugin.vmId : vmId, name);
    if (token === undefined) return WasmResult.NotFound;
    return vm.memory.writeU32(tokenPtr, token) ? WasmResult.Ok : WasmResult.InvalidMemoryAccess;
  },

  proxy_enqueue_shared_queue(vm: WasmVm, token: number, valPtr: number, valLen: number): number {
    const value = vm.memory.copy(valPtr, valLen);
    if (value === null) return WasmResult.InvalidMemoryAccess;
    return vm.services.queues.enqueue(token >>> 0, value);
  },

  /** Unknown → NotFound; empty → Empty. */
  proxy_dequeue_shared_queue(vm: WasmVm, token: number, valPtrPtr: number, valLenPtr: number): number {
    const item = vm.services.queues.dequeue(token >>> 0);
    if (typeof item === 'number') return item;
    return vm.memory.returnBytes(valPtrPtr, valLenPtr, item);
  },
};
