import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wabt from 'wabt';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './capture.ts';

const dir = mkdtempSync(join(tmpdir(), 'asmesh-inspect-'));

async function writeWat(name: string, wat: string): Promise<string> {
  const { parseWat } = await wabt();
  const module = parseWat(`${name}.wat`, wat);
  const path = join(dir, `${name}.wasm`);
  writeFileSync(path, module.toBinary({}).buffer);
  return path;
}

const loadable = `(module
  (import "env" "proxy_log" (func (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "proxy_abi_version_0_2_0"))
  (func (export "malloc") (param i32) (result i32) (i32.const 1024)))`;

const importsAbort = `(module
  (import "env" "abort" (func (param i32 i32 i32 i32)))
  (memory (export "memory") 1)
  (func (export "proxy_abi_version_0_2_0"))
  (func (export "malloc") (param i32) (result i32) (i32.const 1024)))`;

describe('asmesh inspect', () => {
  let loadablePath = '';
  let abortPath = '';
  beforeAll(async () => {
    loadablePath = await writeWat('loadable', loadable);
    abortPath = await writeWat('abort', importsAbort);
  });

  it('reports the ABI, imports with signatures and that Envoy would load the module', async () => {
    const result = await runCli(['inspect', loadablePath]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('abi:    0.2.0');
    expect(result.stdout).toContain('env.proxy_log (i32, i32, i32) -> (i32)');
    expect(result.stdout).toContain('envoy:  would load this module');
  });

  it('exits 1 and names env.abort when Envoy would refuse the module', async () => {
    const result = await runCli(['inspect', abortPath]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Failed to load Wasm module due to a missing import: env.abort');
  });

  it('prints a JSON report with --json', async () => {
    const result = await runCli(['inspect', '--json', abortPath]);
    const report = JSON.parse(result.stdout) as { loads: boolean; abi: string; problems: string[] };
    expect(report).toMatchObject({ loads: false, abi: '0.2.0' });
    expect(report.problems).toHaveLength(1);
  });

  it('exits 2 with the path when the file cannot be read', async () => {
    const result = await runCli(['inspect', join(dir, 'missing.wasm')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing.wasm: ENOENT');
  });
});
