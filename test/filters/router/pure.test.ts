import { beforeAll, describe, expect, it } from 'vitest';
import { compileAssemblyScriptCached } from '../../../harness/build/cached.ts';
import { fnv1a32 } from './fnv1a-reference.ts';

interface Pure {
  memory: WebAssembly.Memory;
  input(len: number): number;
  reset(): void;
  hash(p: number, l: number): number;
  pathLen(p: number, l: number): number;
  query(p: number, l: number, n: number, nl: number): number;
  cookie(p: number, l: number, n: number, nl: number): number;
  shadow(p: number, l: number): number;
  lowered(p: number, l: number): number;
  resultPtr(): number;
  textOp(op: number, s: number, sl: number, v: number, vl: number, ci: number): number;
}

let pure: Pure;
const enc = new TextEncoder();
const dec = new TextDecoder();

function put(s: string | Uint8Array): [number, number] {
  const bytes = typeof s === 'string' ? enc.encode(s) : s;
  const ptr = pure.input(bytes.length);
  new Uint8Array(pure.memory.buffer, ptr, bytes.length).set(bytes);
  return [ptr, bytes.length];
}
function unpack(v: number, s: string): string | null {
  return v < 0 ? null : s.slice(v >>> 16, v & 0xffff);
}
function resultString(len: number): string {
  return dec.decode(new Uint8Array(pure.memory.buffer, pure.resultPtr(), len));
}

beforeAll(async () => {
  const { wasm } = await compileAssemblyScriptCached({
    entry: 'test/filters/router/assembly/pure.ts', outFile: '.cache/test/router-pure.wasm', abort: null,
    inputs: ['filters/router'], cacheDir: '.cache/test/asc',
  });
  const { instance } = await WebAssembly.instantiate(wasm, {
    env: { abort: () => { throw new Error('abort'); }, seed: () => 1, trace: () => {} },
  });
  pure = instance.exports as unknown as Pure;
});

describe('fnv1a', () => {
  it('matches the documented FNV-1a 32-bit reference for ASCII, multi-byte and empty keys', () => {
    for (const key of ['', 'a', 'foobar', 'user-42', 'ünïcødé', '日本語', '😀 emoji', 'x'.repeat(5000)]) {
      pure.reset();
      expect(pure.hash(...put(key)) >>> 0, key.slice(0, 20)).toBe(fnv1a32(key));
    }
  });
  it('gives the published FNV-1a test vectors', () => {
    pure.reset();
    expect(pure.hash(...put('')) >>> 0).toBe(0x811c9dc5);
    expect(pure.hash(...put('a')) >>> 0).toBe(0xe40c292c);
    expect(pure.hash(...put('foobar')) >>> 0).toBe(0xbf9cf968);
  });
});

describe('request text scanners', () => {
  const query = (path: string, name: string) => { pure.reset(); return unpack(pure.query(...put(path), ...put(name)), path); };
  it('finds query parameters with and without values', () => {
    expect(query('/a?x=1&y=2', 'y')).toBe('2');
    expect(query('/a?x=1&y=2', 'x')).toBe('1');
    expect(query('/a?debug&y=2', 'debug')).toBe('');
    expect(query('/a?x=1&y=', 'y')).toBe('');
    expect(query('/a?xy=1', 'x')).toBeNull();
    expect(query('/a?x=1#y=2', 'y')).toBeNull();
    expect(query('/a', 'x')).toBeNull();
    expect(query('/a?', 'x')).toBeNull();
    expect(query('/a?&&x=3', 'x')).toBe('3');
    expect(query('/a?x=1&x=2', 'x')).toBe('1');
  });
  it('finds the path part before ? or #', () => {
    pure.reset();
    expect(pure.pathLen(...put('/a/b?c=d'))).toBe(4);
    expect(pure.pathLen(...put('/a#frag'))).toBe(2);
    expect(pure.pathLen(...put(''))).toBe(0);
  });
  it('finds cookies by exact name', () => {
    const cookie = (h: string, n: string) => { pure.reset(); return unpack(pure.cookie(...put(h), ...put(n)), h); };
    expect(cookie('a=1; session=abc; b=2', 'session')).toBe('abc');
    expect(cookie('session=abc', 'session')).toBe('abc');
    expect(cookie('xsession=abc; session=def ', 'session')).toBe('def');
    expect(cookie('a=1', 'session')).toBeNull();
    expect(cookie('', 'session')).toBeNull();
    expect(cookie('session', 'session')).toBeNull();
  });
  it('marks the mirror authority with -shadow before the port, as Envoy does', () => {
    const shadow = (a: string) => { pure.reset(); return resultString(pure.shadow(...put(a))); };
    expect(shadow('api.local')).toBe('api.local-shadow');
    expect(shadow('api.local:8080')).toBe('api.local-shadow:8080');
    expect(shadow('')).toBe('-shadow');
  });
  it('compares text case-insensitively only when asked', () => {
    const op = (o: number, s: string, v: string, ci: boolean) => { pure.reset(); return pure.textOp(o, ...put(s), ...put(v), ci ? 1 : 0) === 1; };
    expect(op(0, 'Alice', 'alice', true)).toBe(true);
    expect(op(0, 'Alice', 'alice', false)).toBe(false);
    expect(op(1, 'Mozilla/5.0', 'mozilla', true)).toBe(true);
    expect(op(2, 'file.JSON', '.json', true)).toBe(true);
    expect(op(2, 'a', 'abc', false)).toBe(false);
    expect(op(3, 'xxBetaxx', 'beta', true)).toBe(true);
    expect(op(3, 'xxBetaxx', 'beta', false)).toBe(false);
    expect(op(3, '', 'a', false)).toBe(false);
  });
  it('lower-cases ASCII only', () => {
    pure.reset();
    expect(resultString(pure.lowered(...put('X-User-ÄB')))).toBe('x-user-Äb');
  });
});
