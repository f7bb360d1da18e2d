/**
 * Runs a real Envoy: starts it with a bootstrap, `--admin-address-path`, `--use-dynamic-base-id` and
 * `--concurrency 1`, captures its log, waits for `/ready`, and stops it (SIGTERM, then SIGKILL after a timeout).
 * A refused configuration becomes an EnvoyExitError carrying Envoy's own error text.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EnvoyExitError } from '../errors.ts';
import { isReady, listeners, type ListenerAddress } from './admin-client.ts';
import type { EnvoyLocation } from './locate.ts';

export interface StartEnvoyOptions {
  location: Extract<EnvoyLocation, { available: true }>;
  /** Bootstrap file (already validated by the caller). */
  configPath: string;
  /** Directory for `admin-address.txt` and `envoy.log`. */
  runDir: string;
  /** Working directory of Envoy (relative paths in the bootstrap resolve against it). Default: process cwd. */
  cwd?: string;
  logLevel?: string;
  extraArgs?: string[];
  readyTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Receives Envoy's stdout/stderr as it arrives (e.g. to show it on a terminal). */
  onOutput?: (text: string) => void;
}

const LOG_TAIL_CHARS = 4000;

export class EnvoyProcess {
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private readonly exited: Promise<void>;

  constructor(
    private readonly child: ChildProcess,
    private readonly logBuffer: { text: string },
    readonly logPath: string,
    public adminAddress = '',
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve();
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get exitCode(): number | null | undefined {
    return this.exitInfo ? this.exitInfo.code : undefined;
  }

  /** Everything Envoy wrote to stdout and stderr so far. */
  log(): string {
    return this.logBuffer.text;
  }

  listeners(): Promise<ListenerAddress[]> {
    return listeners(this.adminAddress);
  }

  /** Resolves when the process has exited. */
  waitForExit(): Promise<void> {
    return this.exited;
  }

  /** SIGTERM, then SIGKILL if Envoy has not exited after `timeoutMs`. */
  async stop(timeoutMs = 5000): Promise<void> {
    if (this.exitInfo) return;
    this.child.kill('SIGTERM');
    const exited = await Promise.race([this.exited.then(() => true), sleep(timeoutMs).then(() => false)]);
    if (!exited) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  exitError(what: string): EnvoyExitError {
    const tail = this.logBuffer.text.slice(-LOG_TAIL_CHARS);
    const code = this.exitInfo?.code ?? null;
    const how = this.exitInfo?.signal ? `signal ${this.exitInfo.signal}` : `exit code ${code}`;
    const reason = envoyErrorLine(tail);
    return new EnvoyExitError(`Envoy ${what} (${how})${reason ? `: ${reason}` : ''}`, code, tail);
  }
}

/** Envoy's own explanation: the last critical/error line of its log, without the timestamp prefix. */
export function envoyErrorLine(log: string): string | undefined {
  const lines = log.split('\n').filter((line) => /\[(critical|error)\]/.test(line));
  const last = lines.at(-1);
  if (!last) return undefined;
  return last.replace(/^\[[^\]]*\]\s*(\[[^\]]*\]\s*)*/, '').trim() || last.trim();
}

export async function startEnvoy(options: StartEnvoyOptions): Promise<EnvoyProcess> {
  await mkdir(options.runDir, { recursive: true });
  const adminPath = join(options.runDir, 'admin-address.txt');
  const logPath = join(options.runDir, 'envoy.log');
  const args = [
    ...options.location.prefixArgs,
    '-c', options.configPath,
    '--admin-address-path', adminPath,
    '--use-dynamic-base-id',
    '--concurrency', '1',
    '-l', options.logLevel ?? 'info',
    ...(options.extraArgs ?? []),
  ];
  const child = spawn(options.location.command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const buffer = { text: '' };
  const file = createWriteStream(logPath);
  const capture = (chunk: Buffer): void => {
    buffer.text += chunk.toString('utf8');
    file.write(chunk);
    options.onOutput?.(chunk.toString('utf8'));
  };
  child.stdout?.on('data', capture);
  child.stderr?.on('data', capture);
  child.once('exit', () => file.end());
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const envoy = new EnvoyProcess(child, buffer, logPath);
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  const failed = await Promise.race([spawnError, waitReady(envoy, adminPath, deadline)]);
  if (failed instanceof Error) {
    await envoy.stop(1000);
    throw failed instanceof EnvoyExitError ? failed : new EnvoyExitError(`cannot start ${options.location.command}: ${failed.message}`, null, '', { cause: failed });
  }
  return envoy;
}

async function waitReady(envoy: EnvoyProcess, adminPath: string, deadline: number): Promise<Error | undefined> {
  while (Date.now() < deadline) {
    if (envoy.exitCode !== undefined) {
      await sleep(50); // let the last log chunks arrive
      return envoy.exitError('refused to start');
    }
    if (envoy.adminAddress === '') {
      const text = await readFile(adminPath, 'utf8').catch(() => '');
      if (text.trim() !== '') envoy.adminAddress = text.trim();
    } else if (await isReady(envoy.adminAddress)) {
      return undefined;
    }
    await sleep(50);
  }
  return new EnvoyExitError('Envoy did not become ready in time (GET /ready never answered 200)', null, envoy.log().slice(-LOG_TAIL_CHARS));
}
