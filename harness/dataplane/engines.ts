/**
 * The two engines that run an Envoy bootstrap: real Envoy (harness/envoy) and the emulated data plane.
 * Both take a bootstrap already validated against Envoy's protos and report the same facts (admin address,
 * bound listeners) so one test body or one CLI command serves both.
 */
import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listeners as adminListeners } from '../envoy/admin-client.ts';
import { locateEnvoy } from '../envoy/locate.ts';
import { startEnvoy } from '../envoy/process.ts';
import type { ValidatedBootstrap } from '../envoy/validate.ts';
import type { LogEntry } from '../host/index.ts';
import { startDataPlane, type DataPlane } from './dataplane.ts';

export type EngineName = 'envoy' | 'emulator';
export const ENGINE_NAMES: readonly EngineName[] = ['emulator', 'envoy'];

const EMULATOR_DESCRIPTION = 'asmesh emulated data plane (not Envoy)';

export type EngineAvailability = { available: true; description: string } | { available: false; reason: string; hint: string };

export function engineAvailability(name: EngineName, env: NodeJS.ProcessEnv = process.env): EngineAvailability {
  if (name === 'emulator') return { available: true, description: EMULATOR_DESCRIPTION };
  const found = locateEnvoy(env);
  return found.available ? { available: true, description: `Envoy: ${found.description}` } : found;
}

/** `auto`: Envoy when one is found, else the emulator. */
export function chooseEngine(requested: EngineName | 'auto', env: NodeJS.ProcessEnv = process.env): EngineName {
  if (requested !== 'auto') return requested;
  return engineAvailability('envoy', env).available ? 'envoy' : 'emulator';
}

export interface RunningEngine {
  engine: EngineName;
  description: string;
  adminAddress: string;
  /** Bound listeners with a URL each (`http://127.0.0.1:PORT`). */
  listeners: { name: string; url: string }[];
  /** Resolves when the engine stopped on its own (Envoy exited, or POST /quitquitquit). */
  untilExit(): Promise<void>;
  /** Log text so far (Envoy's log, or the plugin log lines of the emulator). */
  logs(): string;
  stop(): Promise<void>;
}

export interface StartEngineOptions {
  /** File the bootstrap came from; Envoy is started with it. Without it, the bootstrap is written to a temp file. */
  configPath?: string;
  /** Working directory (relative paths in the bootstrap resolve against it on both engines). */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Emulator: plugin log lines. */
  onLog?: (entry: LogEntry) => void;
  /** Envoy: its console output as it arrives. */
  onOutput?: (text: string) => void;
  random?: () => number;
}

export async function startEngine(name: EngineName, validated: ValidatedBootstrap, options: StartEngineOptions = {}): Promise<RunningEngine> {
  return name === 'emulator' ? startEmulator(validated, options) : startRealEnvoy(validated, options);
}

async function startEmulator(validated: ValidatedBootstrap, options: StartEngineOptions): Promise<RunningEngine> {
  const lines: string[] = [];
  const plane: DataPlane = await startDataPlane(validated, {
    cwd: options.cwd,
    random: options.random,
    onLog: (entry) => {
      lines.push(`[${entry.level}]${entry.plugin ? `[${entry.plugin}]` : ''} ${entry.message}`);
      options.onLog?.(entry);
    },
  });
  const quit = plane.untilQuit();
  return {
    engine: 'emulator',
    description: EMULATOR_DESCRIPTION,
    adminAddress: plane.adminAddress ?? '',
    listeners: plane.listeners.map((l) => ({ name: l.name, url: l.url })),
    untilExit: () => quit,
    logs: () => lines.join('\n'),
    stop: () => plane.stop(),
  };
}

async function startRealEnvoy(validated: ValidatedBootstrap, options: StartEngineOptions): Promise<RunningEngine> {
  const env = options.env ?? process.env;
  const location = locateEnvoy(env);
  if (!location.available) throw new Error(`Envoy engine unavailable: ${location.reason}; ${location.hint}`);
  const runDir = await mkdtemp(join(tmpdir(), 'asmesh-envoy-'));
  let configPath = options.configPath;
  if (!configPath) {
    configPath = join(runDir, 'bootstrap.json');
    await writeFile(configPath, JSON.stringify(validated.bootstrap, null, 2));
  }
  const envoy = await startEnvoy({ location, configPath, runDir, cwd: options.cwd, env, onOutput: options.onOutput });
  const tlsListeners = new Set(listenerNamesWithTls(validated.bootstrap));
  const bound = await adminListeners(envoy.adminAddress);
  return {
    engine: 'envoy',
    description: `Envoy: ${location.description}`,
    adminAddress: envoy.adminAddress,
    listeners: bound.map((l) => ({ name: l.name, url: `${tlsListeners.has(l.name) ? 'https' : 'http'}://${l.address}` })),
    untilExit: () => envoy.waitForExit(),
    logs: () => envoy.log(),
    stop: () => envoy.stop(),
  };
}

function listenerNamesWithTls(bootstrap: Record<string, unknown>): string[] {
  const listeners = ((bootstrap.static_resources as Record<string, unknown> | undefined)?.listeners ?? []) as Record<string, unknown>[];
  return listeners.filter((l) => ((l.filter_chains ?? []) as Record<string, unknown>[]).some((c) => c.transport_socket !== undefined)).map((l) => String(l.name ?? ''));
}
