import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../harness/build/asc.ts';
import * as status from '../../../harness/host/status.ts';

/** `export enum Name { A = 0, ... }` blocks of filters/sdk/types.ts. */
function sdkEnums(): Map<string, Record<string, number>> {
  const text = readFileSync(path.join(repoRoot, 'filters', 'sdk', 'types.ts'), 'utf8');
  const out = new Map<string, Record<string, number>>();
  for (const m of text.matchAll(/export enum (\w+) \{([^}]*)\}/g)) {
    const members: Record<string, number> = {};
    for (const e of m[2]!.matchAll(/(\w+) = (-?\d+)/g)) members[e[1]!] = Number(e[2]);
    out.set(m[1]!, members);
  }
  return out;
}

/** Spelling differences between the SDK (proxy-runtime names) and the host (cpp-sdk names). */
const norm = (name: string): string => name.toLowerCase().replace(/^http(?!call)/, '').replace('cancelled', 'canceled');
const normalised = (o: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [norm(k), v]));

const PAIRS: [string, keyof typeof status][] = [
  ['WasmResultValues', 'WasmResult'],
  ['LogLevelValues', 'LogLevel'],
  ['FilterHeadersStatusValues', 'FilterHeadersStatus'],
  ['FilterDataStatusValues', 'FilterDataStatus'],
  ['FilterTrailersStatusValues', 'FilterTrailersStatus'],
  ['MapTypeValues', 'MapType'],
  ['BufferTypeValues', 'BufferType'],
  ['StreamTypeValues', 'StreamType'],
  ['MetricTypeValues', 'MetricType'],
  ['PeerTypeValues', 'PeerType'],
  ['GrpcStatusValues', 'GrpcStatus'],
];

describe('filters/sdk/types.ts', () => {
  const enums = sdkEnums();
  it.each(PAIRS)('%s has the same members and numbers as harness/host/status.ts %s', (sdkName, hostName) => {
    const sdk = enums.get(sdkName);
    expect(sdk, `${sdkName} in types.ts`).toBeDefined();
    expect(normalised(sdk!)).toEqual(normalised(status[hostName] as Record<string, number>));
  });

  it('declares every enum with explicit numbers', () => {
    const text = readFileSync(path.join(repoRoot, 'filters', 'sdk', 'types.ts'), 'utf8');
    for (const m of text.matchAll(/export enum (\w+) \{([^}]*)\}/g)) {
      const members = m[2]!.split('\n').map((l) => l.trim()).filter((l) => /^\w/.test(l));
      for (const member of members) expect(member, `${m[1]}: ${member}`).toMatch(/^\w+ = -?\d+,$/);
    }
  });
});
