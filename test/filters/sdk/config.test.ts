import { beforeAll, describe, expect, it } from 'vitest';
import { PluginLoadError } from '../../../harness/errors.ts';
import { createTestHost } from '../../../harness/testing/index.ts';
import { probeWasm } from './probe.ts';

let wasm: Uint8Array;
beforeAll(async () => {
  wasm = await probeWasm();
}, 180_000);

/** Load the probe with `configuration`; return the critical log lines if it is refused, else null. */
async function refusal(configuration: string): Promise<string[] | null> {
  try {
    const env = await createTestHost({ wasm, name: 'probe', rootId: 'probe', vmId: 'probe', configuration });
    env.dispose();
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(PluginLoadError);
    return (e as PluginLoadError & { logs(level: string): string[] }).logs('critical').filter((l) => l.startsWith('probe: '));
  }
}

describe('Config (JSON with paths in errors)', () => {
  it('accepts a valid configuration and an empty one', async () => {
    expect(await refusal('{"prefix":"p","limit":5,"ratio":0.25,"enabled":false,"mode":"b","tags":["x"],"rules":[{"name":"a","match":{"prefix":"/"}}],"nested":{"n":2}}')).toBeNull();
    expect(await refusal('')).toBeNull();
  });

  it('names every bad field by its JSON path and refuses the plugin', async () => {
    const lines = await refusal(JSON.stringify({
      rules: [{ name: 'a', match: { prefix: '/' } }, { name: 'b', match: { prefx: '/' } }, { match: { prefix: 3 } }],
      limit: 500, mode: 'c', ratio: 'half', enabled: 1, tags: ['x', 2], nested: { n: 1.5 }, bogus: true,
    }));
    expect(lines).toEqual(expect.arrayContaining([
      'probe: invalid configuration: rules[1].match.prefx: unknown field',
      'probe: invalid configuration: rules[2].name: is required',
      'probe: invalid configuration: rules[2].match.prefix: expected string',
      'probe: invalid configuration: limit: must be <= 100',
      'probe: invalid configuration: mode: must be one of: a, b',
      'probe: invalid configuration: ratio: expected number',
      'probe: invalid configuration: enabled: expected boolean',
      'probe: invalid configuration: tags[1]: expected string',
      'probe: invalid configuration: nested.n: expected integer',
      'probe: invalid configuration: bogus: unknown field',
    ]));
    expect(lines).toHaveLength(10);
  });

  it('reports a missing required object and a wrong container type', async () => {
    expect(await refusal('{"rules":[{"name":"a"}],"nested":[]}')).toEqual([
      'probe: invalid configuration: rules[0].match: is required',
      'probe: invalid configuration: nested: expected object',
    ]);
    expect(await refusal('{"rules":{}}')).toEqual(['probe: invalid configuration: rules: expected array']);
    expect(await refusal('{"rules":[7]}')).toEqual(['probe: invalid configuration: rules[0]: expected object']);
  });

  it('reports malformed JSON with its offset instead of trapping', async () => {
    expect(await refusal('{"prefix":')).toEqual(['probe: invalid configuration: invalid JSON at offset 10: unexpected end of input']);
    expect(await refusal('{"a":1} x')).toEqual(['probe: invalid configuration: invalid JSON at offset 8: unexpected text after the JSON value']);
    expect(await refusal('{"a":01}')).toEqual(['probe: invalid configuration: invalid JSON at offset 6: bad number']);
    expect(await refusal('[1,2]')).toEqual(['probe: invalid configuration: expected a JSON object']);
    expect(await refusal('{"a":"\\q"}')).toEqual(['probe: invalid configuration: invalid JSON at offset 8: bad escape']);
    expect(await refusal('['.repeat(100))).toEqual(['probe: invalid configuration: invalid JSON at offset 65: nesting deeper than 64']);
  });

  it('treats JSON null as an absent field', async () => {
    expect(await refusal('{"prefix":null,"limit":null}')).toBeNull();
  });
});
