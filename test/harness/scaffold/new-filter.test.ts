import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileAssemblyScript, repoRoot } from '../../../harness/build/asc.ts';
import { SDK_ABORT } from '../../../harness/build/filters.ts';
import { ConfigError } from '../../../harness/errors.ts';
import { scaffoldFilter, scaffoldNames } from '../../../harness/scaffold/new-filter.ts';
import { runCli } from '../cli/capture.ts';

const run = promisify(execFile);

/** A throw-away project beside the real one: its own filters/ and test/, the repo's SDK, harness and packages. */
function makeProject(): string {
  mkdirSync(path.join(repoRoot, '.cache'), { recursive: true });
  const dir = mkdtempSync(path.join(repoRoot, '.cache', 'scaffold-'));
  mkdirSync(path.join(dir, 'filters'));
  for (const link of ['harness', 'node_modules', 'package.json']) symlinkSync(path.join(repoRoot, link), path.join(dir, link));
  symlinkSync(path.join(repoRoot, 'filters', 'sdk'), path.join(dir, 'filters', 'sdk'));
  return dir;
}

describe('asmesh new', () => {
  let project = '';
  beforeAll(() => {
    project = makeProject();
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('scaffolds a filter whose own emulator test passes', async () => {
    const result = await runCli(['new', 'add-greeting', '--dir', project]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('created filters/add-greeting/filter.ts');
    expect(result.stdout).toContain('created test/filters/add-greeting/add-greeting.test.ts');

    await compileAssemblyScript({
      entry: path.join(project, 'filters/add-greeting/index.ts'),
      outFile: path.join(project, 'dist/filters/add-greeting.wasm'),
      abort: SDK_ABORT,
    });
    const vitest = path.join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');
    const { stdout } = await run(process.execPath, [vitest, 'run', '--root', project, '--reporter', 'verbose'], { cwd: project, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    expect(stdout).toContain('adds the configured response header');
    expect(stdout).toMatch(/Tests\s+2 passed/);
  }, 120_000);

  it('writes a schema that requires the header field', () => {
    const schema = JSON.parse(readFileSync(path.join(project, 'filters/add-greeting/schema.json'), 'utf8')) as { required: string[] };
    expect(schema.required).toEqual(['header']);
  });

  it('refuses to overwrite an existing filter', async () => {
    await expect(scaffoldFilter(project, 'add-greeting')).rejects.toThrow('filters/add-greeting already exists');
  });

  it('rejects names that cannot be a directory and root id', () => {
    expect(() => scaffoldNames('Bad Name')).toThrow(ConfigError);
    expect(() => scaffoldNames('sdk')).toThrow('reserved');
    expect(scaffoldNames('rate-limit').className).toBe('RateLimit');
  });
});
