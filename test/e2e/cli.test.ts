import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register as registerRun } from '../../harness/cli/commands/run.ts';
import { register as registerValidate } from '../../harness/cli/commands/validate.ts';
import { startEchoService, type EchoService } from '../../harness/dataplane/echo-service.ts';
import { renderBootstrap } from '../../harness/dataplane/scenario.ts';
import { ConfigError } from '../../harness/errors.ts';

function cli() {
  let out = '';
  let err = '';
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  let stop: (signal: string) => void = () => undefined;
  const stopped = new Promise<string>((resolve) => (stop = resolve));
  const io = { stdout, stderr, untilSignal: () => stopped };
  const program = new Command('asmesh').exitOverride();
  registerRun(program, io);
  registerValidate(program, io);
  return {
    run: (...argv: string[]) => program.parseAsync(argv, { from: 'user' }),
    out: () => out,
    err: () => err,
    signal: (name: string) => stop(name),
  };
}

function writeBootstrap(bootstrap: Record<string, unknown>, name = 'bootstrap.yaml'): string {
  const path = join(mkdtempSync(join(tmpdir(), 'asmesh-cli-')), name);
  writeFileSync(path, stringify(bootstrap));
  return path;
}

describe('asmesh validate', () => {
  it('accepts the demo bootstrap', async () => {
    const c = cli();
    await c.run('validate', 'envoy/demo.yaml');
    expect(c.out()).toContain('envoy/demo.yaml: valid envoy.config.bootstrap.v3.Bootstrap (1 listener(s), 3 cluster(s))');
  });

  it('rejects an unknown field inside a wasm typed_config, naming its path', async () => {
    const b = renderBootstrap({ services: ['v1'], filters: [{ name: 'f', wasm: 'x.wasm' }] }, { v1: { address: '127.0.0.1', port: 1 } }) as any;
    b.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.http_filters[0].typed_config.config.vm_config.cod = {};
    const error = await cli().run('validate', writeBootstrap(b)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('static_resources.listeners[0].filter_chains[0].filters[0].typed_config.http_filters[0].typed_config.config.vm_config.cod: unknown field');
  });

  it('with --emulator, reports fields the emulated data plane does not support', async () => {
    const b = renderBootstrap({ services: ['v1'] }, { v1: { address: '127.0.0.1', port: 1 } }) as any;
    b.static_resources.clusters[0].type = 'EDS';
    const error = await cli().run('validate', '--emulator', writeBootstrap(b)).catch((e: unknown) => e);
    expect((error as Error).message).toContain('static_resources.clusters[0].type: value "EDS" not supported by the emulated data plane');
  });
});

describe('asmesh run on the emulator', () => {
  let upstream: EchoService;
  beforeAll(async () => {
    upstream = await startEchoService('v1');
  });
  afterAll(async () => upstream?.close());

  it('serves the bootstrap as written, prints the engine and listener, and stops on a signal', async () => {
    const path = writeBootstrap(renderBootstrap({ services: ['v1'] }, { v1: { address: upstream.address, port: upstream.port } }));
    const c = cli();
    const done = c.run('run', path, '--engine', 'emulator');
    let url: string | undefined;
    for (let i = 0; i < 100 && !url; i++) {
      url = /listener ingress: (http:\/\/\S+)/.exec(c.out())?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 50));
    }
    expect(c.out()).toContain('engine: emulator — asmesh emulated data plane (not Envoy)');
    const response = await fetch(`${url}/hello`);
    expect(response.headers.get('x-served-by')).toBe('v1');
    c.signal('SIGINT');
    await done;
    expect(c.out()).toContain('stopped (SIGINT)');
  });

  it('refuses a bootstrap field the emulator does not support, naming the path', async () => {
    const b = renderBootstrap({ services: ['v1'] }, { v1: { address: upstream.address, port: upstream.port } }) as any;
    b.static_resources.listeners[0].per_connection_buffer_limit_bytes = 1024;
    const error = await cli().run('run', writeBootstrap(b), '--engine', 'emulator').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('static_resources.listeners[0].per_connection_buffer_limit_bytes: not supported by the emulated data plane');
  });

  it('refuses --engine envoy when no Envoy is found, with how to install func-e', async () => {
    const saved = { ...process.env };
    process.env.ENVOY_BIN = '';
    process.env.PATH = '/nonexistent';
    try {
      const error = await cli().run('run', 'envoy/demo.yaml', '--engine', 'envoy', '--no-build').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).hint).toContain('func-e');
    } finally {
      process.env.PATH = saved.PATH;
      if (saved.ENVOY_BIN === undefined) delete process.env.ENVOY_BIN;
      else process.env.ENVOY_BIN = saved.ENVOY_BIN;
    }
  });
});
