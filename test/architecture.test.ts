import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** Relative imports of a file, resolved to repository paths (e.g. `harness/host/vm.ts`). */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
  return specifiers.map((s) => relative(root, resolve(dirname(file), s)));
}

/** Which top-level area of harness/ (or filters/) a repository path belongs to. */
function area(path: string): string {
  const parts = path.split('/');
  if (parts[0] === 'harness' && parts.length > 2) return `harness/${parts[1]}`;
  return parts.slice(0, 2).join('/');
}

describe('module layout', () => {
  it('keeps harness/host free of imports from the rest of harness', () => {
    const offenders = sourceFiles(join(root, 'harness/host')).flatMap((file) =>
      relativeImports(file)
        .filter((target) => target.startsWith('harness/') && !target.startsWith('harness/host/') && target !== 'harness/errors.ts')
        .map((target) => `${relative(root, file)} -> ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  it('never lets library areas import the CLI (only harness/docs, which documents it)', () => {
    const offenders = sourceFiles(join(root, 'harness'))
      .filter((file) => !relative(root, file).startsWith('harness/cli') && !relative(root, file).startsWith('harness/docs/'))
      .flatMap((file) =>
        relativeImports(file)
          .filter((target) => area(target) === 'harness/cli' || target === 'harness/cli.ts')
          .map((target) => `${relative(root, file)} -> ${target}`),
      );
    expect(offenders).toEqual([]);
  });

  it('keeps filters independent of the harness', () => {
    const offenders = sourceFiles(join(root, 'filters')).flatMap((file) =>
      relativeImports(file)
        .filter((target) => target.startsWith('harness/'))
        .map((target) => `${relative(root, file)} -> ${target}`),
    );
    expect(offenders).toEqual([]);
  });
});
