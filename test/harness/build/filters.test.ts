import { cp, mkdir, rm, writeFile, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, CompileError } from '../../../harness/build/asc.ts';
import { buildFilters, BuildError, discoverFilters } from '../../../harness/build/filters.ts';
import { ImportCheckError } from '../../../harness/build/check.ts';

// A sandbox filters/ tree under .cache (so node_modules resolve) with a copy of the SDK.
const sandbox = path.join(repoRoot, '.cache', 'test-build', 'filters-sandbox');
const filtersDir = path.join(sandbox, 'filters');
const outDir = path.join(sandbox, 'dist');
const cacheDir = path.join(sandbox, 'stamps');
const opts = { filtersDir, outDir, cacheDir };

const TINY = [
  'export * from "../sdk/exports";',
  'import { registerRootContext, RootContext } from "../sdk";',
  'registerRootContext((id: u32) => new RootContext(id), "tiny");',
  '',
].join('\n');

beforeAll(async () => {
  await rm(sandbox, { recursive: true, force: true });
  await mkdir(filtersDir, { recursive: true });
  await cp(path.join(repoRoot, 'filters', 'sdk'), path.join(filtersDir, 'sdk'), { recursive: true });
  await mkdir(path.join(filtersDir, 'tiny'));
  await writeFile(path.join(filtersDir, 'tiny', 'index.ts'), TINY);
  await writeFile(path.join(filtersDir, 'tiny', 'schema.json'), '{"type":"object"}\n');
});

describe('buildFilters', () => {
  it('finds filters by their index.ts and never treats sdk as a filter', () => {
    expect(discoverFilters(filtersDir)).toEqual(['tiny']);
  });

  it('builds optimized and debug modules, copies the schema, then answers "cached", and rebuilds after a change', async () => {
    const [first] = await buildFilters({ ...opts, only: ['tiny'] });
    expect(first).toMatchObject({ name: 'tiny', cached: false });
    expect(first!.bytes).toBeGreaterThan(1000);
    expect(existsSync(path.join(outDir, 'tiny.wasm'))).toBe(true);
    expect(existsSync(path.join(outDir, 'tiny.debug.wasm'))).toBe(true);
    expect(existsSync(path.join(outDir, 'tiny.debug.wasm.map'))).toBe(true);
    expect(await readFile(path.join(outDir, 'tiny.schema.json'), 'utf8')).toBe('{"type":"object"}\n');

    const [second] = await buildFilters({ ...opts, only: ['tiny'] });
    expect(second).toMatchObject({ name: 'tiny', cached: true, ms: 0, bytes: first!.bytes });

    await writeFile(path.join(filtersDir, 'tiny', 'index.ts'), `${TINY}// changed\n`);
    const [third] = await buildFilters({ ...opts, only: ['tiny'] });
    expect(third!.cached).toBe(false);
  }, 240_000);

  it('fails with file:line:col for a compile error', async () => {
    await mkdir(path.join(filtersDir, 'broken'), { recursive: true });
    await writeFile(path.join(filtersDir, 'broken', 'index.ts'), `${TINY}\nconst x: i32 = "text";\n`);
    const error = await buildFilters({ ...opts, only: ['broken'] }).catch((e: unknown) => e);
    await rm(path.join(filtersDir, 'broken'), { recursive: true, force: true });
    expect(error).toBeInstanceOf(BuildError);
    const failure = (error as BuildError).failures[0]!;
    expect(failure.name).toBe('broken');
    expect(failure.error).toBeInstanceOf(CompileError);
    const d = (failure.error as CompileError).diagnostics.find((x) => x.category === 'ERROR')!;
    expect(d.file).toBe('.cache/test-build/filters-sandbox/filters/broken/index.ts');
    expect(d.line).toBe(5);
    expect(failure.error.message).toMatch(/filters\/broken\/index\.ts:5:\d+: ERROR TS2322/);
  }, 120_000);

  it('fails a filter that imports proxy_clear_route_cache, naming the import and the module', async () => {
    await mkdir(path.join(filtersDir, 'routecache'), { recursive: true });
    await writeFile(path.join(filtersDir, 'routecache', 'index.ts'), [
      TINY,
      '// @ts-ignore: decorator',
      '@external("env", "proxy_clear_route_cache")',
      'declare function proxy_clear_route_cache(): u32;',
      'export function clear_route(): void { proxy_clear_route_cache(); }',
      '',
    ].join('\n'));
    const error = await buildFilters({ ...opts, only: ['routecache'] }).catch((e: unknown) => e);
    await rm(path.join(filtersDir, 'routecache'), { recursive: true, force: true });
    expect(error).toBeInstanceOf(BuildError);
    const failure = (error as BuildError).failures[0]!;
    expect(failure.error).toBeInstanceOf(ImportCheckError);
    expect(failure.error.message).toContain('routecache.wasm');
    expect(failure.error.message).toContain('missing import: env.proxy_clear_route_cache');
  }, 120_000);

  it('rejects an unknown filter name', async () => {
    const error = await buildFilters({ ...opts, only: ['nope'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildError);
    expect((error as Error).message).toContain('nope: no such filter');
  });
});
