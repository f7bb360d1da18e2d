/**
 * Builds the import object from the ABI area files: exactly the offered set (and only what the module needs),
 * each import wrapped for restriction checks and hostcall counting. Keys keep the exact ABI names.
 */
import type { FuncSig } from '../wasm-binary.ts';
import { WasmResult } from '../status.ts';
import type { WasmVm } from '../vm.ts';
import { buffersHostcalls } from './buffers.ts';
import { foreignHostcalls } from './foreign.ts';
import { grpcHostcalls } from './grpc.ts';
import { headersHostcalls } from './headers.ts';
import { httpCallHostcalls } from './http-call.ts';
import { loggingHostcalls } from './logging.ts';
import { metricsHostcalls } from './metrics.ts';
import { propertiesHostcalls } from './properties.ts';
import { queuesHostcalls } from './queues.ts';
import { sharedDataHostcalls } from './shared-data.ts';
import { streamHostcalls } from './stream.ts';
import { timersHostcalls } from './timers.ts';
import { envExtras, wasiHostcalls } from './wasi.ts';

/** An implementation receives the VM then the guest's raw arguments. */
export type Hostcall = (vm: WasmVm, ...args: any[]) => number | void;

const ENV_HOSTCALLS: Record<string, Hostcall> = {
  ...loggingHostcalls,
  ...propertiesHostcalls,
  ...headersHostcalls,
  ...buffersHostcalls,
  ...streamHostcalls,
  ...httpCallHostcalls,
  ...grpcHostcalls,
  ...sharedDataHostcalls,
  ...queuesHostcalls,
  ...metricsHostcalls,
  ...timersHostcalls,
  ...foreignHostcalls,
  ...envExtras,
};

/** Implementation for `module.name`, or undefined. */
export function hostcallImplementation(module: string, name: string): Hostcall | undefined {
  if (module === 'env') return ENV_HOSTCALLS[name];
  if (module === 'wasi_unstable' || module === 'wasi_snapshot_preview1') return wasiHostcalls[name];
  return undefined;
}

export function buildImports(vm: WasmVm, offered: Map<string, FuncSig>, needed: Set<string>): WebAssembly.Imports {
  const out: Record<string, Record<string, Function>> = {};
  for (const [full, sig] of offered) {
    if (!needed.has(full)) continue;
    const dot = full.indexOf('.');
    const module = full.slice(0, dot);
    const name = full.slice(dot + 1);
    const impl = hostcallImplementation(module, name);
    if (!impl) throw new Error(`asmesh host bug: no implementation for offered import ${full}`);
    const returnsValue = sig.results.length > 0;
    const wrapped = function (a?: any, b?: any, c?: any, d?: any, e?: any, f?: any, g?: any, h?: any, i?: any, j?: any, k?: any, l?: any) {
      vm.enterHostcall(full, name);
      if (!vm.bound) {
        vm.violation(name, `${full} called from the Wasm start section, before the host can read guest memory`);
        return returnsValue ? WasmResult.InvalidMemoryAccess : undefined;
      }
      return impl(vm, a, b, c, d, e, f, g, h, i, j, k, l);
    };
    (out[module] ??= {})[name] = wrapped;
  }
  return out;
}
