/**
 * esbuild bundles of the TypeScript entry points users run without a TypeScript loader:
 * `harness/cli.ts` → `dist/cli.js` (the `asmesh` command) and `harness/testing/index.ts` → `dist/testing.js`
 * (the `asmesh/testing` package entry). npm packages stay external: they run with the project's node_modules.
 */
import { chmod } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from './asc.ts';

export interface BundleResult {
  outFile: string;
  bytes: number;
  ms: number;
}

async function bundle(entry: string, outFile: string, banner?: string): Promise<BundleResult> {
  const started = performance.now();
  const result = await build({
    entryPoints: [entry],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    banner: banner ? { js: banner } : undefined,
    sourcemap: false,
    logLevel: 'silent',
    metafile: true,
  });
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  return { outFile, bytes, ms: Math.round(performance.now() - started) };
}

export async function bundleCli(options: { entry?: string; outFile?: string } = {}): Promise<BundleResult> {
  const outFile = options.outFile ?? path.join(repoRoot, 'dist', 'cli.js');
  const result = await bundle(options.entry ?? path.join(repoRoot, 'harness', 'cli.ts'), outFile, '#!/usr/bin/env node');
  await chmod(outFile, 0o755);
  return result;
}

export async function bundleTestingApi(options: { outFile?: string } = {}): Promise<BundleResult> {
  return bundle(path.join(repoRoot, 'harness', 'testing', 'index.ts'), options.outFile ?? path.join(repoRoot, 'dist', 'testing.js'));
}
