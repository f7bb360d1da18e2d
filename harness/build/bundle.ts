/** Bundle `harness/cli.ts` into `dist/cli.js` (ESM, node, shebang); npm packages stay external. */
import { chmod } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from './asc.ts';

export interface BundleResult {
  outFile: string;
  bytes: number;
  ms: number;
}

export async function bundleCli(options: { entry?: string; outFile?: string } = {}): Promise<BundleResult> {
  const entry = options.entry ?? path.join(repoRoot, 'harness', 'cli.ts');
  const outFile = options.outFile ?? path.join(repoRoot, 'dist', 'cli.js');
  const started = performance.now();
  const result = await build({
    entryPoints: [entry],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Keep every package in node_modules external: dist/cli.js runs with the repository's node_modules.
    packages: 'external',
    banner: { js: '#!/usr/bin/env node' },
    sourcemap: false,
    logLevel: 'silent',
    metafile: true,
  });
  await chmod(outFile, 0o755);
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  return { outFile, bytes, ms: Math.round(performance.now() - started) };
}
