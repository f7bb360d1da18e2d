import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../harness/build/asc.ts';
import { bundleCli } from '../../../harness/build/bundle.ts';

const work = path.join(repoRoot, '.cache', 'test-build', 'bundle');

describe('bundleCli', () => {
  it('writes an executable ESM bundle with a shebang that runs with the repository node_modules', async () => {
    await mkdir(work, { recursive: true });
    const entry = path.join(work, 'entry.ts');
    await writeFile(path.join(work, 'helper.ts'), 'export const greet = (n: string): string => `hello ${n}`;\n');
    // yaml is a package: it must stay external (imported from node_modules at run time).
    await writeFile(entry, "import { stringify } from 'yaml';\nimport { greet } from './helper.ts';\nprocess.stdout.write(greet(stringify({ a: 1 }).trim()));\n");
    const outFile = path.join(work, 'cli.js');
    const result = await bundleCli({ entry, outFile });
    const text = await readFile(outFile, 'utf8');
    expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(text).toMatch(/from "yaml"/);
    expect(result.bytes).toBe(Buffer.byteLength(text));
    expect(execFileSync(outFile, { encoding: 'utf8' })).toBe('hello a: 1');
  });
});
