/** Shared key/value store per vm_id with CAS (reference §5.7). */
import { WasmResult } from '../status.ts';
import type { WasmVm } from '../vm.ts';

export const sharedDataHostcalls = {
  /** Missing → NotFound; else value (allocated in the guest) and cas. */
  proxy_get_shared_data(vm: WasmVm, keyPtr: number, keyLen: number, valPtrPtr: number, valLenPtr: number, casPtr: number): number {
    const key = vm.memory.string(keyPtr, keyLen);
    if (key === null) return WasmResult.InvalidMemoryAccess;
    const entry = vm.services.sharedData.get(vm.plugin.vmId, key);
    if (!entry) return WasmResult.NotFound;
    const r = vm.memory.returnBytes(valPtrPtr, valLenPtr, entry.value);
    if (r !== WasmResult.Ok) return r;
    return vm.memory.writeU32(casPtr, entry.cas) ? WasmResult.Ok : WasmResult.InvalidMemoryAccess;
  },

  /** cas ≠ 0 and ≠ stored → CasMismatch. */
  proxy_set_shared_data(vm: WasmVm, keyPtr: number, keyLen: number, valPtr: number, valLen: number, cas: number): number {
    const key = vm.memory.string(keyPtr, keyLen);
    const value = vm.memory.copy(valPtr, valLen);
    if (key === null || value === null) return WasmResult.InvalidMemoryAccess;
    return vm.services.sharedData.set(vm.plugin.vmId, key, value, cas >>> 0);
  },
};
