import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { register as registerRun } from '../../harness/cli/commands/run.ts';
import { readDataPlaneConfig } from '../../harness/dataplane/config.ts';
import { loadBootstrapFile } from '../../harness/envoy/validate.ts';
import { builtFilter, REPO } from './engines.ts';

const run = promisify(execFile);
const bootstraps = readdirSync(join(REPO, 'envoy')).filter((f) => /\.(ya?ml|json)$/.test(f));

describe('bootstraps in envoy/', () => {
  it.each(bootstraps)('%s passes proto validation and the emulated data plane accepts it', async (file) => {
    const validated = await loadBootstrapFile(join(REPO, 'envoy', file));
    expect(() => readDataPlaneConfig(validated.bootstrap, file)).not.toThrow();
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const missing = ['router', 'fault', 'rbac', 'metrics'].filter((f) => !builtFilter(f));
const noCurl = await run('curl', ['--version']).then(() => false, () => true);
const skipReason = missing.length ? `filters not built: ${missing.join(', ')} (npm run build)` : noCurl ? 'curl not installed (apt-get install curl)' : '';

describe.skipIf(skipReason !== '')(`the demo on the emulator${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('prints curl lines that show each filter working', async () => {
    // Same file with free ports, so the test never collides with a running `npm start`.
    let text = readFileSync(join(REPO, 'envoy/demo.yaml'), 'utf8').replace('port_value: 10000', 'port_value: 0').replace('port_value: 9901', 'port_value: 0');
    for (const port of [18081, 18082, 18083]) text = text.replace(`port_value: ${port}`, `port_value: ${await freePort()}`);
    const path = join(mkdtempSync(join(tmpdir(), 'asmesh-demo-')), 'demo.yaml');
    writeFileSync(path, text);
    let out = '';
    const stdout = new PassThrough().on('data', (c: Buffer) => (out += c.toString()));
    let stop: (s: string) => void = () => undefined;
    const program = new Command('asmesh').exitOverride();
    registerRun(program, { stdout, stderr: new PassThrough(), untilSignal: () => new Promise<string>((r) => (stop = r)) });
    const done = program.parseAsync(['run', path, '--engine', 'emulator', '--no-build'], { from: 'user' });
    let ended: unknown;
    done.then(() => (ended = new Error(`run ended early:\n${out}`)), (e: unknown) => (ended = e));
    for (let i = 0; i < 200 && !out.includes('press Ctrl-C') && ended === undefined; i++) await new Promise((r) => setTimeout(r, 50));
    if (ended !== undefined) throw ended;
    try {
      expect(out).toContain('engine: emulator');
      const lines = out.split('\n').filter((l) => l.trim().startsWith('curl '));
      const curl = async (tag: string): Promise<string> => {
        const line = lines.find((l) => l.includes(`# ${tag}`));
        expect(line, `a curl line tagged "${tag}"`).toBeDefined();
        return (await run('sh', ['-c', line!.trim()], { cwd: REPO })).stdout;
      };
      expect(await curl('router: header')).toMatch(/x-served-by: v2/i);
      expect(await curl('router: sticky')).toMatch(/x-served-by: v[12]/i);
      expect(await curl('fault: 500 ms')).toMatch(/^HTTP\/1\.1 200/);
      expect(await curl('fault: abort')).toMatch(/^HTTP\/1\.1 503/);
      expect(await curl('rbac')).toMatch(/^HTTP\/1\.1 403/);
      expect(await curl('metrics')).toContain('asmesh_requests_total');
    } finally {
      stop('SIGINT');
      await done;
    }
  });
});
