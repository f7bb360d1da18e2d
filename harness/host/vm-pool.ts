/**
 * VM sharing as cpp-host does it (`createWasm`, `getOrCreateThreadLocalWasm`; reference §1.2): plugins whose
 * vm key — vm_id, VM configuration bytes and code hash — is equal share one base VM and, on the one emulated
 * worker, one worker VM in which each plugin gets its own root context. The base VM runs the start functions
 * once per key and never gets a root context; a canary is a fresh clone per plugin; a failed worker VM is
 * replaced by a fresh clone the next time a plugin asks for it (FAIL_RELOAD).
 */
import { createHash } from 'node:crypto';
import { WasmVm, type Violation, type VmPluginInfo, type VmServices } from './vm.ts';
import type { WasmBinaryInfo } from './wasm-binary.ts';

/** What a VM is cloned from: the compiled code and the facts of the plugin asking for it. */
export interface VmSource {
  key: string;
  binary: WasmBinaryInfo;
  module: WebAssembly.Module;
  info: VmPluginInfo;
}

/** cpp-host `makeVmKey(vm_id, vm_configuration, code)`: environment variables are not part of it (first VM's win). */
export function vmKey(vmId: string, vmConfiguration: Uint8Array, code: Uint8Array): string {
  const hash = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
  return `${vmId}||${hash(vmConfiguration)}||${hash(code)}`;
}

export class VmPool {
  private readonly bases = new Set<string>();
  private readonly workers = new Map<string, WasmVm>();

  constructor(private readonly services: VmServices) {}

  /**
   * The base VM of `src.key`: created the first time (instantiation + start functions), reused afterwards.
   * Returns the violations of a newly created base VM (none when reused). Throws with Envoy's wording.
   */
  ensureBase(src: VmSource): Violation[] {
    if (this.bases.has(src.key)) return [];
    const vm = this.clone(src);
    this.bases.add(src.key);
    return vm.violations;
  }

  /** A fresh clone of the base VM (start functions run again), e.g. a canary. Throws with Envoy's wording. */
  clone(src: VmSource): WasmVm {
    return WasmVm.create(src.binary, src.module, src.info, this.services);
  }

  /** The worker VM of `src.key`; a new clone when there is none yet or the current one failed. */
  worker(src: VmSource): WasmVm {
    const current = this.workers.get(src.key);
    if (current && !current.failed) return current;
    const vm = this.clone(src);
    this.workers.set(src.key, vm);
    return vm;
  }
}
