// `asmesh run` as users and scripts run it: the bundled CLI in its own process, stopped by a signal.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEchoService, type EchoService } from '../../harness/dataplane/echo-service.ts';
import { renderBootstrap } from '../../harness/dataplane/scenario.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const cliPath = path.join(root, 'dist', 'cli.js');

interface Exited {
  code: number | null;
  stdout: string;
  stderr: string;
}

function startCli(args: string[]) {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd: root, env: process.env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Exited>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
  return { child, exited, stdout: () => stdout };
}

function writeBootstrap(bootstrap: unknown): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'asmesh-run-')), 'envoy.yaml');
  writeFileSync(file, stringify(bootstrap));
  return file;
}

describe('asmesh run (dist/cli.js process)', () => {
  let upstream: EchoService;
  beforeAll(async () => {
    upstream = await startEchoService('v1');
  });
  afterAll(async () => upstream?.close());

  it.each(['SIGTERM', 'SIGINT'] as const)('serves a user bootstrap in the foreground until %s, then exits 0', async (signal) => {
    const file = writeBootstrap(renderBootstrap({ services: ['v1'] }, { v1: { address: upstream.address, port: upstream.port } }));
    const cli = startCli(['run', file, '--engine', 'emulator', '--no-build']);
    let url: string | undefined;
    for (let i = 0; i < 200 && !url; i++) {
      url = /listener ingress: (http:\/\/\S+)/.exec(cli.stdout())?.[1];
      if (!url) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(cli.stdout()).toContain('engine: emulator');
    const response = await fetch(`${url}/`);
    expect(response.headers.get('x-served-by')).toBe('v1');
    cli.child.kill(signal);
    const exited = await cli.exited;
    expect(exited.code).toBe(0);
  });

  it('exits 2 naming the field path when the bootstrap is refused', async () => {
    const bootstrap = renderBootstrap({ services: ['v1'] }, { v1: { address: upstream.address, port: upstream.port } }) as {
      static_resources: { clusters: { type?: string }[] };
    };
    bootstrap.static_resources.clusters[0]!.type = 'EDS';
    const exited = await startCli(['run', writeBootstrap(bootstrap), '--engine', 'emulator', '--no-build']).exited;
    expect(exited.code).toBe(2);
    expect(exited.stderr).toContain('static_resources.clusters[0].type');
  });

  it('exits 2 with the proto path for a field Envoy itself would reject', async () => {
    const bootstrap = renderBootstrap({ services: ['v1'] }, { v1: { address: upstream.address, port: upstream.port } }) as Record<string, unknown>;
    bootstrap.statz_config = {};
    const exited = await startCli(['run', writeBootstrap(bootstrap), '--no-build']).exited;
    expect(exited.code).toBe(2);
    expect(exited.stderr).toContain('statz_config: unknown field');
  });
});
