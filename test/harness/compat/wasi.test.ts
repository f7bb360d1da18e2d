/**
 * WASI as Envoy offers it (cpp-host `src/exports.cc`), observed through the emulator with a probe module that
 * calls every registered WASI function after start-up. Functions are registered under both `wasi_unstable` and
 * `wasi_snapshot_preview1`, so every expectation holds for both module names.
 */
import { describe, expect, it } from 'vitest';
import { createTestHost, type TestEnv } from '../../../harness/testing/index.ts';
import { wasiProbeModule } from './fixtures/wasi-probe.ts';
import { fields, pluginLines } from './helpers/logs.ts';
import { compileWat } from './helpers/wat.ts';

async function probe(module: 'wasi_snapshot_preview1' | 'wasi_unstable', logLevel: 'trace' | 'warn' = 'trace'): Promise<{ env: TestEnv; report: Record<string, string> }> {
  const env = await createTestHost({ wasm: await compileWat(wasiProbeModule(module)), name: 'wasi', canary: false, logLevel });
  const line = pluginLines(env.logEntries()).find((l) => l.message.startsWith('wasi:'));
  return { env, report: fields(line?.message ?? '') };
}

describe.each(['wasi_snapshot_preview1', 'wasi_unstable'] as const)('WASI under %s', (module) => {
  it('turns stdout writes into info lines and stderr writes into error lines, removing one trailing newline', async () => {
    const { env, report } = await probe(module);
    expect(report.stdout).toBe('0');
    expect(report.stderr).toBe('0');
    expect(report.multi).toBe('0');
    const lines = pluginLines(env.logEntries()).filter((l) => !l.message.startsWith('wasi:'));
    expect(lines).toContainEqual({ level: 'info', message: 'hello stdout' });
    expect(lines).toContainEqual({ level: 'error', message: 'hello stderr' });
    expect(lines).toContainEqual({ level: 'info', message: 'two newlines\n' });
    expect(lines).toContainEqual({ level: 'info', message: 'multi iovec' });
  });

  it('answers BADF (8) for writes to descriptors other than 1 and 2, and logs nothing for them', async () => {
    const { env, report } = await probe(module);
    expect(report.badf).toBe('8');
    expect(pluginLines(env.logEntries()).map((l) => l.message)).not.toContain('to fd 7');
  });

  it('drops stdout lines below the wasm log level like any info line', async () => {
    const { env, report } = await probe(module, 'warn');
    expect(report).toEqual({});
    const lines = pluginLines(env.logEntries());
    expect(lines).toContainEqual({ level: 'error', message: 'hello stderr' });
    expect(lines.some((l) => l.level === 'info')).toBe(false);
  });

  it('has no preopened directories: fd_prestat_get(3) is BADF (8), fd_prestat_dir_name is NOSYS (52)', async () => {
    const { report } = await probe(module);
    expect(report.prestat_get).toBe('8');
    expect(report.prestat_dir_name).toBe('52');
  });

  it('reads the realtime and monotonic clocks and answers NOTSUP (58) for the CPU-time clocks', async () => {
    const { env, report } = await probe(module);
    expect(report.clock_realtime).toBe('0');
    expect(BigInt(report.realtime_ns!)).toBe(BigInt(env.clock.now()) * 1_000_000n);
    expect(report.clock_monotonic).toBe('0');
    expect(report.clock_process_cputime).toBe('58');
    expect(report.clock_thread_cputime).toBe('58');
  });

  it('fills up to 65536 random bytes and answers INVAL (28) above that', async () => {
    const { report } = await probe(module);
    expect(report.random_65536).toBe('0');
    expect(report.random_65537).toBe('28');
  });

  it('reports zero program arguments', async () => {
    const { report } = await probe(module);
    expect([report.args_sizes_get, report.argc, report.argv_buf_size, report.args_get]).toEqual(['0', '0', '0', '0']);
  });

  it('describes stdout with fd_fdstat_get (rights FD_WRITE = 64) and answers BADF for other descriptors', async () => {
    const { report } = await probe(module);
    expect(report.fdstat_stdout).toBe('0');
    expect(report.fdstat_rights).toBe('64');
    expect(report.fdstat_fd5).toBe('8');
  });

  it('refuses to read files: fd_read is NOSYS (52)', async () => {
    const { report } = await probe(module);
    expect(report.fd_read).toBe('52');
  });

  it('does not trap on proc_exit: the guest continues after the call', async () => {
    const { env, report } = await probe(module);
    expect(report.fd_read).toBeDefined(); // the report is logged after proc_exit(3) returned
    expect(env.plugin.failed).toBe(false);
  });

  it('logs nothing for an empty write (cpp-host writevImpl logs only when written != 0) (cpp-host writevImpl logs only when written != 0)', async () => {
    const { env, report } = await probe(module);
    expect(report.empty).toBe('0');
    expect(pluginLines(env.logEntries()).map((l) => l.message)).not.toContain('');
  });

  it('leaves *nwritten untouched when fd_write fails with BADF (cpp-host returns before setWord)', async () => {
    const { report } = await probe(module);
    expect(report.badf_nwritten).toBe('777');
  });

  it('reports filetype 0 from fd_fdstat_get(1) (cpp-host zeroes the struct except fs_rights_base)', async () => {
    const { report } = await probe(module);
    expect(report.fdstat_filetype).toBe('0');
  });

  it('answers fd_seek and fd_close with success (0) after logging an error, as cpp-host does', async () => {
    const { report } = await probe(module);
    expect([report.fd_seek, report.fd_close]).toEqual(['0', '0']);
  });

  // cpp-host src/exports.cc wasi_unstable_path_open returns 44 (__WASI_ERRNO_NOENT).
  it('answers path_open with NOENT (44), as cpp-host does', async () => {
    const { report } = await probe(module);
    expect(report.path_open).toBe('44');
  });
});

