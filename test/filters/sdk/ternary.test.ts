/**
 * AssemblyScript 0.17 does not retain a variable used as a branch of `c ? a : b` when the result is returned
 * or stored in a local (see the note in filters/sdk/index.ts): a use-after-free in optimized builds.
 * This scan flags such ternaries in filters/ when a branch is a variable that is visibly a reference
 * (annotated with a non-primitive type, or initialised from a string, `new`, or a string/buffer call) and
 * the other branch is `null` or another variable (a literal or call as the other branch is handled correctly).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../harness/build/asc.ts';

const PRIMITIVE = /^(i8|i16|i32|i64|u8|u16|u32|u64|f32|f64|bool|boolean|usize|isize|number|[A-Z]\w*Values)$/;
const REF_INIT = /^(["'`]|new\s|String\.|\w+(\.\w+)*\.(get|keyAt|valueAt|substring|substr|slice|toString|decode|trim|toLowerCase|toUpperCase|join|replace|concat|repeat)\(|(getProperty\w*|getRequestHeader|getResponseHeader|getHeaderMapValue|pluginConfiguration|requestBody|responseBody|getBufferBytes)\()/;
const TERNARY = /(\breturn\b|\b(?:const|let|var)\s+\w+(?:\s*:[^=;]+)?\s*=(?!=))([^;?]*)\?\s*([A-Za-z_]\w*)\s*:\s*([A-Za-z_]\w*)\s*(?=[;,)]|$)/g;
const NOT_VARIABLE = ['true', 'false', 'this', 'undefined'];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return files(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

function referenceVariables(text: string): Set<string> {
  const refs = new Set<string>();
  for (const m of text.matchAll(/\b(\w+)\s*\??:\s*([A-Za-z_][\w<>[\]]*)(\s*\|\s*null)?/g)) {
    if (!PRIMITIVE.test(m[2]!)) refs.add(m[1]!);
  }
  for (const m of text.matchAll(/\b(?:const|let|var)\s+(\w+)\s*=\s*([^;]+);/g)) {
    if (REF_INIT.test(m[2]!.trim())) refs.add(m[1]!);
  }
  return refs;
}

export function findUnsafeTernaries(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
  const refs = referenceVariables(text);
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(TERNARY)) {
      const prefix = m[2]!;
      if ((prefix.match(/\(/g) ?? []).length !== (prefix.match(/\)/g) ?? []).length) continue; // inside a call: safe
      const [a, b] = [m[3]!, m[4]!];
      if (NOT_VARIABLE.includes(a) || NOT_VARIABLE.includes(b)) continue;
      // Unsafe: a reference variable paired with null or with another variable.
      const bad = [a, b].filter((x, i) => refs.has(x) && ([a, b][1 - i] === 'null' || /^[A-Za-z_]\w*$/.test([a, b][1 - i]!)));
      if (bad.length > 0) found.push(`${path.relative(repoRoot, file)}:${i + 1}: ternary branch ${bad.join(', ')}: ${line.trim()}`);
    }
  });
  return found;
}

describe('AssemblyScript ternary scan', () => {
  it('flags a returned ternary over a reference parameter and over a looked-up local', () => {
    const dir = path.join(repoRoot, '.cache', 'test-sdk');
    const sample = path.join(dir, 'ternary-sample.ts');
    // Written to disk so the scan reads it like any filter file.
    const text = [
      'function or(a: string | null, b: string): string { return a === null ? b : a; }',
      'function header(h: Headers): string { const v = h.get("x"); return v === null ? "none" : v; }',
      'function maybe(h: Headers): string | null { const v = h.get("x"); return v !== null ? v : null; }',
      'function arg(s: string | null): X { return new X(ok ? s : null, 1); }',
      'function count(n: i32): i32 { return n > 0 ? n : 0; }',
      'function field(): string | null { return this.ok ? this.value : null; }',
    ].join('\n');
    mkdirSync(dir, { recursive: true });
    writeFileSync(sample, text);
    const found = findUnsafeTernaries(sample);
    expect(found).toHaveLength(2);
    expect(found[0]).toContain(':1: ternary branch b, a');
    expect(found[1]).toContain(':3: ternary branch v');
  });

  it('finds none in filters/', () => {
    const found = files(path.join(repoRoot, 'filters')).flatMap(findUnsafeTernaries);
    expect(found, found.join('\n')).toEqual([]);
  });
});
