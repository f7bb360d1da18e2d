// Shared by the router and fault tests: load a built filter into the emulator (not Envoy), and get
// the configuration verdict (accepted, or the critical log lines naming each bad field).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createTestHost, type TestEnv, type TestHostOptions } from '../../../harness/testing/index.ts';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
export const wasmPath = (name: 'router' | 'fault') => path.join(repoRoot, 'dist', 'filters', `${name}.wasm`);
export const builtMissing = (name: 'router' | 'fault') => !existsSync(wasmPath(name));

export async function loadFilter(name: 'router' | 'fault', config: unknown, options: Partial<TestHostOptions> = {}): Promise<TestEnv> {
  return createTestHost({
    wasm: wasmPath(name), name, rootId: name, vmId: name,
    configuration: typeof config === 'string' ? config : JSON.stringify(config),
    logLevel: 'info',
    ...options,
  });
}

export type Verdict = { ok: true } | { ok: false; errors: string[] };

/** Load with `config`: accepted, or refused with the plugin's critical log lines. */
export async function configVerdict(name: 'router' | 'fault', config: unknown): Promise<Verdict> {
  try {
    const env = await loadFilter(name, config);
    env.dispose();
    return { ok: true };
  } catch (e) {
    const logs = (e as { logs?: (level: string) => string[] }).logs;
    if (typeof logs !== 'function') throw e;
    return { ok: false, errors: logs('critical') };
  }
}

/** Deterministic request ids for statistical checks. */
export const requestIds = (n: number, prefix = 'req-') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
