import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EnvoyExitError } from '../../../harness/errors.ts';
import { prometheus, statValue } from '../../../harness/envoy/admin-client.ts';
import { locateEnvoy } from '../../../harness/envoy/locate.ts';
import { envoyErrorLine, startEnvoy, type EnvoyProcess } from '../../../harness/envoy/process.ts';

// These tests drive the launcher against a fake process (NOT Envoy), as func-e's unit tests do.
const FAKE = join(import.meta.dirname, 'fake-envoy-for-launcher-tests.mjs');

describe('envoy launcher (with a fake Envoy process)', () => {
  let dir: string;
  let running: EnvoyProcess | undefined;
  beforeAll(() => {
    chmodSync(FAKE, 0o755);
  });
  afterEach(async () => {
    await running?.stop(500);
    running = undefined;
  });
  const config = (text: string): string => {
    dir = mkdtempSync(join(tmpdir(), 'asmesh-launcher-'));
    const path = join(dir, 'envoy.yaml');
    writeFileSync(path, text);
    return path;
  };
  const location = locateEnvoy({ ENVOY_BIN: FAKE, PATH: '' });
  if (!location.available) throw new Error('fake envoy not executable');

  it('passes the bootstrap, admin address path, dynamic base id and concurrency 1', async () => {
    const configPath = config('static_resources: {}\n');
    const argsFile = join(dir, 'args.json');
    running = await startEnvoy({ location, configPath, runDir: join(dir, 'run'), env: { ...process.env, FAKE_ENVOY_ARGS_FILE: argsFile } });
    const args = JSON.parse(readFileSync(argsFile, 'utf8')) as string[];
    expect(args.slice(0, 2)).toEqual(['-c', configPath]);
    expect(args).toContain('--use-dynamic-base-id');
    expect(args.join(' ')).toContain('--concurrency 1');
    expect(args.join(' ')).toContain(`--admin-address-path ${join(dir, 'run', 'admin-address.txt')}`);
    expect(running.adminAddress).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('reads prometheus and json stats from the admin address once ready', async () => {
    running = await startEnvoy({ location, configPath: config('{}'), runDir: join(dir, 'run') });
    expect(await prometheus(running.adminAddress)).toContain('fake_requests{} 3');
    expect(await statValue(running.adminAddress, 'wasmcustom.fake_requests')).toBe(3);
  });

  it('throws EnvoyExitError with the critical log line when the config is refused', async () => {
    const error = await startEnvoy({ location, configPath: config('bad_field: 1\n'), runDir: join(dir, 'run') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvoyExitError);
    expect((error as EnvoyExitError).exitCode).toBe(1);
    expect((error as EnvoyExitError).message).toContain('bad_field: Cannot find field');
    expect((error as EnvoyExitError).stderrTail).toContain('[critical]');
  });

  it('kills a process that ignores SIGTERM after the stop timeout', async () => {
    running = await startEnvoy({ location, configPath: config('{}'), runDir: join(dir, 'run'), env: { ...process.env, FAKE_ENVOY_IGNORE_SIGTERM: '1' } });
    const started = Date.now();
    await running.stop(300);
    expect(running.exitCode).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('gives up when /ready never answers 200', async () => {
    const error = await startEnvoy({
      location, configPath: config('{}'), runDir: join(dir, 'run'), readyTimeoutMs: 400,
      env: { ...process.env, FAKE_ENVOY_NEVER_READY: '1' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvoyExitError);
    expect((error as Error).message).toContain('did not become ready');
  });
});

describe('envoyErrorLine', () => {
  it('returns the last critical line without the log prefix', () => {
    const log = '[2026][1][info][main] ok\n[2026][1][critical][main] error initializing configuration: boom\n';
    expect(envoyErrorLine(log)).toBe('error initializing configuration: boom');
  });
});

describe('locateEnvoy', () => {
  const bin = (name: string): string => {
    const d = mkdtempSync(join(tmpdir(), 'asmesh-path-'));
    const p = join(d, name);
    writeFileSync(p, '#!/bin/sh\n');
    chmodSync(p, 0o755);
    return d;
  };

  it('prefers ENVOY_BIN over func-e and envoy on PATH', () => {
    const path = `${bin('func-e')}:${bin('envoy')}`;
    expect(locateEnvoy({ ENVOY_BIN: FAKE, PATH: path })).toMatchObject({ available: true, via: 'ENVOY_BIN', command: FAKE });
  });

  it('uses func-e run when func-e is on PATH, naming ENVOY_VERSION', () => {
    const path = `${bin('envoy')}:${bin('func-e')}`;
    const found = locateEnvoy({ PATH: path, ENVOY_VERSION: '1.31.2' });
    expect(found).toMatchObject({ available: true, via: 'func-e', prefixArgs: ['run'] });
    expect(found.available && found.description).toContain('ENVOY_VERSION=1.31.2');
  });

  it('falls back to envoy on PATH', () => {
    expect(locateEnvoy({ PATH: bin('envoy') })).toMatchObject({ available: true, via: 'PATH', prefixArgs: [] });
  });

  it('reports unavailable with the reason and how to install func-e', () => {
    const found = locateEnvoy({ PATH: '' });
    expect(found).toMatchObject({ available: false });
    expect(!found.available && found.hint).toContain('func-e');
  });

  it('reports an ENVOY_BIN that is not executable', () => {
    const found = locateEnvoy({ ENVOY_BIN: '/nonexistent/envoy' });
    expect(!found.available && found.reason).toContain('ENVOY_BIN=/nonexistent/envoy');
  });
});
