/**
 * Import check after every compile: a module Envoy would refuse at link time (an import it does not offer
 * for the module's ABI, e.g. `env.abort`, `env.seed`, `env.trace`, `proxy_clear_route_cache` under 0.2.0)
 * fails the build. The rules live in harness/host/abi/offered.ts (`checkModule`), shared with the emulator.
 */
import { checkModule } from '../host/abi/offered.ts';

/** The module would not load in Envoy; `problems` are Envoy-worded reasons, each naming the import. */
export class ImportCheckError extends Error {
  override readonly name = 'ImportCheckError';
  constructor(readonly module: string, readonly problems: string[]) {
    super(`${module}: Envoy would refuse this module:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/** Throw `ImportCheckError` naming `module` (a path or name for messages) when Envoy would refuse `wasm`. */
export function assertLoadable(wasm: Uint8Array, module: string): void {
  const result = checkModule(wasm);
  if (result.problems.length > 0) throw new ImportCheckError(module, result.problems);
}
