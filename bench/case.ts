/**
 * A benchmark case: one module measured by `npm run bench`. Filter engineers add `bench/cases/<filter>.ts`
 * exporting `cases: BenchCase[]` (or a default BenchCase / BenchCase[]).
 */
export interface BenchCase {
  /** Row label, e.g. `fault (no fault)`. */
  name: string;
  /** Module path relative to the repository root (e.g. `dist/filters/fault.wasm`) or the bytes. */
  wasm: string | Uint8Array;
  /** root_id the module registers. */
  rootId: string;
  /** Plugin configuration (default `{}`). */
  configuration?: string;
  /** Request headers of every request (default: 8 typical headers, see fixed-host.ts). */
  requestHeaders?: [string, string][];
  /** Response headers (default `:status: 200`). */
  responseHeaders?: [string, string][];
  /** Skip the emulator path (with this reason printed), e.g. when the case needs an upstream. */
  skipEmulator?: string;
}
