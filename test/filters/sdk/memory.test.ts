/**
 * The dispatcher's promises, checked on the Wasm side with the fixed-answer host of the benchmarks
 * (bench/fixed-host.ts) and through the emulator: no hostcall of its own per request, flat memory.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../harness/build/asc.ts';
import { createTestHost } from '../../../harness/testing/index.ts';
import { FixedDriver } from '../../../bench/driver.ts';
import { BENCH_REQUEST_HEADERS, serializePairs } from '../../../bench/fixed-host.ts';
import { probeWasm } from './probe.ts';

const emptyWasm = path.join(repoRoot, 'dist', 'filters', 'empty.wasm');
const built = existsSync(emptyWasm);

let probe: WebAssembly.Module;
beforeAll(async () => {
  probe = new WebAssembly.Module(await probeWasm());
}, 180_000);

describe('SDK dispatcher', () => {
  it.skipIf(!built)('makes no hostcall per request for the empty filter (needs npm run build)', () => {
    const d = new FixedDriver(new WebAssembly.Module(readFileSync(emptyWasm)), { rootId: 'empty', configuration: '' });
    expect(d.start(0)).toBe(true);
    d.host.reset();
    d.requests(1000);
    expect(d.host.counts()).toEqual({});
  });

  it.skipIf(!built)('makes no hostcall per request for the empty filter in the emulator either (needs npm run build)', async () => {
    const env = await createTestHost({ wasm: emptyWasm, name: 'empty', rootId: 'empty', vmId: 'empty' });
    env.resetHostcalls();
    const s = env.openStream();
    s.sendRequestHeaders({ ':method': 'GET', ':path': '/', ':authority': 'a' }, { endStream: true });
    s.sendResponseHeaders({ ':status': '200' }, { endStream: true });
    s.complete();
    expect(env.hostcalls()).toEqual({});
    env.dispose();
  });

  it('keeps linear memory flat over many requests that read and write headers', () => {
    const d = new FixedDriver(probe, { rootId: 'probe', configuration: '{}', headers: [...BENCH_REQUEST_HEADERS, ['x-op', 'headers']] });
    expect(d.start(2)).toBe(true);
    d.requests(2000); // warm-up: the allocator settles
    const before = d.memoryBytes;
    d.host.reset();
    d.requests(50_000);
    expect(d.host.counts().proxy_get_header_map_pairs).toBe(50_000);
    expect(d.memoryBytes).toBe(before);
  });

  it('reads malformed header-pair buffers from a broken host as an empty map, without trapping', () => {
    const good = serializePairs([['x-op', 'headers'], ['a', 'b']]);
    const cases: [string, Uint8Array][] = [
      ['truncated', good.slice(0, good.length - 3)],
      ['trailing bytes', new Uint8Array([...good, 1, 2, 3])],
      ['count too large', (() => { const b = good.slice(); new DataView(b.buffer).setUint32(0, 1000, true); return b; })()],
      ['count over the limit', (() => { const b = good.slice(); new DataView(b.buffer).setUint32(0, 0xffffffff, true); return b; })()],
      ['length past the end', (() => { const b = good.slice(); new DataView(b.buffer).setUint32(4, 0x7fffffff, true); return b; })()],
      ['missing NUL', (() => { const b = good.slice(); b[b.length - 1] = 0x41; return b; })()],
      ['one byte', new Uint8Array([7])],
    ];
    for (const [name, rawHeaders] of cases) {
      const d = new FixedDriver(probe, { rootId: 'probe', configuration: '{}', rawHeaders });
      expect(d.start(2), name).toBe(true);
      d.host.reset();
      d.requests(3);
      // A readable map would have selected the "headers" operation, which adds request headers.
      expect(d.host.counts().proxy_add_header_map_value ?? 0, name).toBe(0);
    }
    const ok = new FixedDriver(probe, { rootId: 'probe', configuration: '{}', rawHeaders: good });
    ok.start(2);
    ok.host.reset();
    ok.requests(1);
    expect(ok.host.counts().proxy_add_header_map_value).toBeGreaterThan(0);
  });

  it('refuses the plugin (no trap) when no factory is registered for the root id', () => {
    const d = new FixedDriver(probe, { rootId: 'other', configuration: '' });
    d.host.keepLogs = true;
    expect(d.start(0)).toBe(false);
    expect(d.host.logs).toEqual([{ level: 5, message: 'no root context registered for root_id "other" (registered: probe)' }]);
    d.requests(3); // streams of an unknown root are ignored, not trapped on
  });
});
