import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../harness/build/asc.ts';
import { HOSTCALLS, hostcallTable } from '../../../harness/host/abi/hostcalls.ts';
import { offeredImports } from '../../../harness/host/abi/offered.ts';

describe('hostcall list', () => {
  it('lists every import the host offers to ABI 0.2.0 and 0.2.1 modules (proxy, WASI and env helpers)', () => {
    const listed = new Set(HOSTCALLS.map((h) => h.name));
    const offered = new Set([...offeredImports('0.2.0').keys(), ...offeredImports('0.2.1').keys()].map((full) => full.slice(full.indexOf('.') + 1)));
    expect([...offered].filter((n) => !listed.has(n))).toEqual([]);
  });

  it.each(HOSTCALLS.filter((h) => h.test).map((h) => [h.name, h.test!] as const))('names a test for %s that exercises it (%s)', (name, test) => {
    expect(readFileSync(path.join(repoRoot, test), 'utf8')).toContain(name);
  });
});

describe('hostcallTable', () => {
  it('renders one Markdown row per hostcall with its ABI versions and covering test', () => {
    const lines = hostcallTable().split('\n');
    expect(lines[0]).toBe('| Area | Hostcall | ABI versions | Behaviour and status notes | Covered by |');
    expect(lines).toHaveLength(HOSTCALLS.length + 2);
    expect(lines).toContain('| wasi | `path_open` | 0.2.0, 0.2.1 | 44 NOENT | `test/harness/compat/wasi.test.ts` |');
    expect(lines.find((l) => l.includes('`proxy_get_log_level`'))).toMatch(/^\| logging \| `proxy_get_log_level` \| 0\.2\.1 \| .* \| `test\/harness\/host\/conformance\.test\.ts` \|$/);
    expect(lines.find((l) => l.includes('`proxy_clear_route_cache`'))).toMatch(/\| 0\.1\.0 only \| .* \| not run \|$/);
  });

  it('keeps every row to five cells (no stray pipes in descriptions)', () => {
    for (const line of hostcallTable().split('\n')) expect(line.split('|')).toHaveLength(7);
  });
});
