/**
 * WASI functions cpp-host offers under `wasi_unstable` and `wasi_snapshot_preview1` (reference §2.3), plus the
 * non-proxy `env` helpers (emscripten_notify_memory_growth, pthread_equal, envoy_resolve_dns).
 */
import { randomFillSync } from 'node:crypto';
import { WasiErrno, WasmResult } from '../status.ts';
import type { WasmVm } from '../vm.ts';

const encoder = new TextEncoder();

function environ(vm: WasmVm): Uint8Array[] {
  return Object.entries(vm.plugin.environment).map(([k, v]) => encoder.encode(`${k}=${v}\0`));
}

export const wasiHostcalls: Record<string, (vm: WasmVm, ...a: any[]) => number | void> = {
  /** fd 1 → info, fd 2 → error (one trailing newline removed); other fds → BADF. */
  fd_write(vm: WasmVm, fd: number, iovs: number, iovsLen: number, nwrittenPtr: number): number {
    if (fd !== 1 && fd !== 2) return WasiErrno.Badf;
    const parts: Uint8Array[] = [];
    let total = 0;
    for (let i = 0; i < iovsLen >>> 0; i++) {
      const base = vm.memory.u32(iovs + i * 8);
      const len = vm.memory.u32(iovs + i * 8 + 4);
      if (base === null || len === null) return WasiErrno.Fault;
      const data = vm.memory.copy(base, len);
      if (data === null) return WasiErrno.Fault;
      parts.push(data);
      total += data.length;
    }
    if (total > 0) {
      let text = Buffer.concat(parts).toString('utf8');
      if (text.endsWith('\n')) text = text.slice(0, -1);
      if ((fd === 1 ? 2 : 4) >= vm.services.logLevel()) vm.log(fd === 1 ? 'info' : 'error', text);
    }
    return vm.memory.writeU32(nwrittenPtr, total) ? WasiErrno.Success : WasiErrno.Fault;
  },
  fd_read(): number {
    return WasiErrno.Nosys;
  },
  /** cpp-host logs an error and reports success. */
  fd_seek(vm: WasmVm): number {
    vm.services.log({ level: 'error', message: 'wasi_unstable fd_seek', plugin: vm.pluginName(), host: true });
    return WasiErrno.Success;
  },
  fd_close(vm: WasmVm): number {
    vm.services.log({ level: 'error', message: 'wasi_unstable fd_close', plugin: vm.pluginName(), host: true });
    return WasiErrno.Success;
  },
  /** Only stdout/stderr: a zeroed fdstat with fs_rights_base = FD_WRITE; other fds → BADF. */
  fd_fdstat_get(vm: WasmVm, fd: number, statPtr: number): number {
    if (fd !== 1 && fd !== 2) return WasiErrno.Badf;
    const stat = new Uint8Array(24);
    new DataView(stat.buffer).setBigUint64(8, 64n, true); // rights: fd_write
    return vm.memory.writeBytes(statPtr, stat) ? WasiErrno.Success : WasiErrno.Fault;
  },
  environ_sizes_get(vm: WasmVm, countPtr: number, sizePtr: number): number {
    const env = environ(vm);
    const size = env.reduce((n, e) => n + e.length, 0);
    return vm.memory.writeU32(countPtr, env.length) && vm.memory.writeU32(sizePtr, size) ? WasiErrno.Success : WasiErrno.Fault;
  },
  environ_get(vm: WasmVm, envPtrs: number, envBuf: number): number {
    let p = envBuf;
    let i = 0;
    for (const e of environ(vm)) {
      if (!vm.memory.writeU32(envPtrs + 4 * i++, p) || !vm.memory.writeBytes(p, e)) return WasiErrno.Fault;
      p += e.length;
    }
    return WasiErrno.Success;
  },
  args_sizes_get(vm: WasmVm, argcPtr: number, sizePtr: number): number {
    return vm.memory.writeU32(argcPtr, 0) && vm.memory.writeU32(sizePtr, 0) ? WasiErrno.Success : WasiErrno.Fault;
  },
  args_get(): number {
    return WasiErrno.Success;
  },
  /** id 0 realtime, 1 monotonic; others → NOTSUP. */
  clock_time_get(vm: WasmVm, id: number, _precision: bigint, outPtr: number): number {
    let ns: bigint;
    if (id === 0) ns = BigInt(Math.trunc(vm.services.clock.now())) * 1_000_000n;
    else if (id === 1) ns = vm.services.clock.monotonicNs();
    else return WasiErrno.Notsup;
    return vm.memory.writeU64(outPtr, ns) ? WasiErrno.Success : WasiErrno.Fault;
  },
  random_get(vm: WasmVm, buf: number, len: number): number {
    if (len >>> 0 > 65536) return WasiErrno.Inval;
    const view = vm.memory.view8(buf, len);
    if (view === null) return WasiErrno.Fault;
    randomFillSync(view);
    return WasiErrno.Success;
  },
  /** Does not trap (cpp-host only logs); the guest's next instruction usually is `unreachable`. */
  proc_exit(vm: WasmVm, code: number): void {
    vm.services.log({ level: 'trace', message: `wasi proc_exit(${code}) ignored`, plugin: vm.pluginName(), host: true });
  },
  /** cpp-host: no files to open → NOENT. */
  path_open(): number {
    return WasiErrno.Noent;
  },
  fd_prestat_get(): number {
    return WasiErrno.Badf;
  },
  fd_prestat_dir_name(): number {
    return WasiErrno.Nosys;
  },
  /** No events. */
  poll_oneoff(vm: WasmVm, _in: number, _out: number, _n: number, neventsPtr: number): number {
    return vm.memory.writeU32(neventsPtr, 0) ? WasiErrno.Success : WasiErrno.Fault;
  },
  sched_yield(): number {
    return WasiErrno.Success;
  },
};

export const envExtras = {
  emscripten_notify_memory_growth(_vm: WasmVm, _index: number): void {},
  pthread_equal(_vm: WasmVm, a: number, b: number): number {
    return a === b ? 1 : 0;
  },
  /** The emulator has no DNS resolver for plugins. */
  envoy_resolve_dns(vm: WasmVm): number {
    vm.violation('envoy_resolve_dns', 'DNS resolution is not emulated');
    return WasmResult.InternalFailure;
  },
};
