// Deterministic generators of hostile header lists for never-trap tests (router and fault).
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const TOKEN = 'abcdefghijklmnopqrstuvwxyz0123456789-_.!#$%&*+^`|~';

/** A random header value: empty, huge, control characters, NUL, lone surrogates (non-UTF-8 on the wire), emoji. */
export function hostileValue(rand: () => number): string {
  switch (Math.floor(rand() * 8)) {
    case 0: return '';
    case 1: return 'x'.repeat(1 + Math.floor(rand() * 70000));
    case 2: return '\u0000\u0001\u007f\u0080\u00ff';
    case 3: return '\udc80\ud800abc\udfff';
    case 4: return '😀'.repeat(1 + Math.floor(rand() * 100));
    case 5: return 'session=; ; ;=;;==' + ';'.repeat(Math.floor(rand() * 50));
    case 6: return Array.from({ length: 20 }, () => String.fromCharCode(Math.floor(rand() * 0xd7ff))).join('');
    default: return '?&=&&?==#' + '%'.repeat(Math.floor(rand() * 20));
  }
}

export function randomName(rand: () => number): string {
  const n = 1 + Math.floor(rand() * 40);
  let s = '';
  for (let i = 0; i < n; i++) s += TOKEN[Math.floor(rand() * TOKEN.length)];
  return s;
}

/** Headers with the pseudo-headers (values hostile too) plus `count` random entries, some with names the filters read. */
export function hostileHeaders(rand: () => number, count: number, interesting: string[]): [string, string][] {
  const out: [string, string][] = [
    [':method', rand() < 0.8 ? 'GET' : hostileValue(rand)],
    [':path', rand() < 0.5 ? '/api/x?preview=1&v=2' : hostileValue(rand) || '/'],
    [':authority', rand() < 0.8 ? 'svc.local' : hostileValue(rand)],
  ];
  for (let i = 0; i < count; i++) {
    const name = rand() < 0.5 ? interesting[Math.floor(rand() * interesting.length)]! : randomName(rand);
    out.push([name, hostileValue(rand)]);
  }
  return out;
}
