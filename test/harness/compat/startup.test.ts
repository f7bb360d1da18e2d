/**
 * Start functions as cpp-host `WasmBase::startVm` runs them: `_initialize` then `main(0, 0)` when both are
 * exported, `_start` only when there is no `_initialize`, nothing otherwise; once per VM; and only logging/WASI
 * basics may be called while they run.
 */
import { describe, expect, it } from 'vitest';
import { PluginLoadError } from '../../../harness/errors.ts';
import { createTestHost } from '../../../harness/testing/index.ts';
import { goWasip1Module } from './fixtures/go-wasip1.ts';
import { INITIALIZE_GETS_PROPERTY, LOGGING_ALLOCATOR, START_SETS_TICK } from './fixtures/startup-hostcalls.ts';
import { buildShape, type StartFunction } from './helpers/shape.ts';
import { linesStartingWith, pluginLines } from './helpers/logs.ts';
import { compileWat } from './helpers/wat.ts';

function startProbe(startFunctions: StartFunction[]): string {
  return buildShape({
    sdk: 'start',
    sources: [
      'proxy-wasm/proxy-wasm-cpp-host src/wasm.cc getFunctions(): _initialize, then main only if _initialize exists, else _start',
      'proxy-wasm/proxy-wasm-cpp-host src/wasm.cc startVm(): _initialize(); if (main_) main(0, 0); else if (_start_) _start()',
    ],
    abi: 'proxy_abi_version_0_2_0',
    allocators: ['malloc'],
    startFunctions,
  });
}

async function traceOf(startFunctions: StartFunction[]): Promise<string[]> {
  const env = await createTestHost({ wasm: await compileWat(startProbe(startFunctions)), canary: false });
  return linesStartingWith(env.logEntries(), 'start: vm_start');
}

describe('start functions', () => {
  it('runs _initialize then main(0, 0) for a reactor that exports both', async () => {
    expect(await traceOf(['_initialize', 'main'])).toEqual(['start: vm_start starts=2 trace=IM']);
  });

  it('runs only _initialize when a module exports both _initialize and _start', async () => {
    expect(await traceOf(['_start', '_initialize'])).toEqual(['start: vm_start starts=1 trace=I']);
  });

  it('runs _start for a WASI command without _initialize', async () => {
    expect(await traceOf(['_start'])).toEqual(['start: vm_start starts=1 trace=S']);
  });

  it('does not call main without _initialize', async () => {
    expect(await traceOf(['main'])).toEqual(['start: vm_start starts=0 trace=']);
  });

  it('loads a module with no start function at all (AssemblyScript 0.17 shape)', async () => {
    expect(await traceOf([])).toEqual(['start: vm_start starts=0 trace=']);
  });

  // cpp-host src/wasm.cc: createWasm() initializes the base VM (initialize() → startVm()), canary() clones it and
  // calls initialize() again, getOrCreateThreadLocalWasm() clones it for the worker and calls initialize() again;
  // V8 clones are Cloneable::CompiledBytecode (test/runtime_test.cc), so each clone re-runs startVm(). With one
  // worker Envoy therefore runs the start functions three times at start-up.
  it('runs the start functions in the base VM, the canary and the worker VM (three runs with one worker)', async () => {
    const env = await createTestHost({ wasm: await compileWat(goWasip1Module()), name: 'go' });
    expect(linesStartingWith(env.logEntries(), 'go: _initialize run 1')).toHaveLength(3);
  });
});

describe('hostcalls during start-up', () => {
  it('refuses the plugin when _initialize calls proxy_get_property (restricted_callback trap)', async () => {
    const wasm = await compileWat(INITIALIZE_GETS_PROPERTY);
    const err = await createTestHost({ wasm, name: 'go-init' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PluginLoadError);
    expect((err as Error).message).toMatch(/_initialize/);
    expect((err as Error).message).toMatch(/restricted_callback/);
  });

  it('refuses the plugin when _start calls proxy_set_tick_period_milliseconds', async () => {
    const wasm = await compileWat(START_SETS_TICK);
    await expect(createTestHost({ wasm, name: 'tinygo-start' })).rejects.toThrow(/restricted_callback/);
  });

  it('refuses the plugin when a start function calls proc_exit (not in the start-up allow-list)', async () => {
    const wat = buildShape({
      sdk: 'exit',
      sources: ['proxy-wasm/proxy-wasm-cpp-host src/wasm.cc startVm(): proc_exit is not in the allow-list'],
      abi: 'proxy_abi_version_0_2_0',
      wasi: ['proc_exit'],
      allocators: ['malloc'],
      startFunctions: ['_start'],
      startup: { extra: '(call $proc_exit (i32.const 0))' },
    });
    await expect(createTestHost({ wasm: await compileWat(wat), name: 'exits' })).rejects.toThrow(/restricted_callback/);
  });

  it('refuses the plugin when _initialize traps (Go runtime panic during init)', async () => {
    const wat = buildShape({
      sdk: 'panic',
      sources: ['proxy-wasm/proxy-wasm-cpp-host src/wasm.cc initialize(): returns !isFailed() after startVm(); createWasm() then fails'],
      abi: 'proxy_abi_version_0_2_0',
      allocators: ['proxy_on_memory_allocate'],
      startFunctions: ['_initialize'],
      startup: { extra: 'unreachable' },
    });
    const err = await createTestHost({ wasm: await compileWat(wat), name: 'panics' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PluginLoadError);
    expect((err as Error).message).toMatch(/Function: _initialize failed/);
  });

  it('lets the allocator log through proxy_log while the host is inside malloc', async () => {
    const env = await createTestHost({ wasm: await compileWat(LOGGING_ALLOCATOR), name: 'alloc-logger', canary: false });
    expect(pluginLines(env.logEntries())).toEqual([
      { level: 'info', message: 'allocator says hi' },
      { level: 'info', message: 'alloc-logger' },
    ]);
  });
});
