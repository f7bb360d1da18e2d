/**
 * cpp-host restricted callbacks (`WasmBase::startVm`, `getMallocFunction`; reference §1.3): the only imports a module
 * may call while its start functions run or while the host is inside its allocator; any other traps.
 */
const bothWasi = (names: string[]): string[] => names.flatMap((f) => [`wasi_unstable.${f}`, `wasi_snapshot_preview1.${f}`]);

/** During `_initialize` / `main` / `_start` (stored cpp-host `src/wasm.cc` startVm list). */
export const START_ALLOWED: ReadonlySet<string> = new Set([
  'env.proxy_log',
  ...bothWasi(['fd_write', 'args_sizes_get', 'args_get', 'environ_sizes_get', 'environ_get', 'fd_prestat_get',
    'fd_prestat_dir_name', 'clock_time_get', 'random_get']),
]);

/** While the host runs the module's `malloc` / `proxy_on_memory_allocate`. */
export const MALLOC_ALLOWED: ReadonlySet<string> = new Set(['env.proxy_log', ...bothWasi(['fd_write', 'clock_time_get', 'poll_oneoff'])]);
