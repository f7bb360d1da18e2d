import { describe, expect, it } from 'vitest';
import type { Redirect } from '../../../harness/dataplane/config-types.ts';
import { redirectLocation, rewritePrefix, rewriteRegex } from '../../../harness/dataplane/route-rewrite.ts';

const request = { scheme: 'http', authority: 'shop.example:80', path: '/old/item?id=1' };
const redirect = (r: Partial<Redirect>): Redirect => ({ stripQuery: false, status: 301, ...r });

describe('route rewrites', () => {
  it('swaps the matched prefix and keeps the rest and the query', () => {
    expect(rewritePrefix({ kind: 'prefix', value: '/old/' }, '/new/', '/old/item?id=1')).toBe('/new/item?id=1');
    expect(rewritePrefix({ kind: 'prefix', value: '/old' }, '/', '/old/item')).toBe('//item');
    expect(rewritePrefix({ kind: 'path', value: '/exact' }, '/other', '/exact?q')).toBe('/other?q');
  });

  it('replaces every regex match in the path but not in the query', () => {
    const rewrite = { regex: /o/g, substitution: '0' };
    expect(rewriteRegex(rewrite, '/foo/bo?o=o')).toBe('/f00/b0?o=o');
    expect(rewriteRegex({ regex: /^\/users\/(\d+)$/g, substitution: '/u/$1' }, '/users/7')).toBe('/u/7');
  });
});

describe('redirect location', () => {
  const prefix = { kind: 'prefix' as const, value: '/old/' };
  it('switches to https and drops the http default port', () => {
    expect(redirectLocation(redirect({ scheme: 'https' }), prefix, request)).toBe('https://shop.example/old/item?id=1');
  });

  it('keeps a non-default port when switching scheme', () => {
    expect(redirectLocation(redirect({ scheme: 'https' }), prefix, { ...request, authority: 'shop.example:8080' })).toBe('https://shop.example:8080/old/item?id=1');
  });

  it('replaces host and port', () => {
    expect(redirectLocation(redirect({ host: 'other.example', port: 8443 }), prefix, request)).toBe('http://other.example:8443/old/item?id=1');
  });

  it('uses the query of path_redirect when it has one, else keeps or strips the request query', () => {
    expect(redirectLocation(redirect({ path: { kind: 'path', value: '/x?y=2' } }), prefix, request)).toBe('http://shop.example:80/x?y=2');
    expect(redirectLocation(redirect({ path: { kind: 'path', value: '/x' } }), prefix, request)).toBe('http://shop.example:80/x?id=1');
    expect(redirectLocation(redirect({ path: { kind: 'path', value: '/x' }, stripQuery: true }), prefix, request)).toBe('http://shop.example:80/x');
  });

  it('rewrites the prefix of the path', () => {
    expect(redirectLocation(redirect({ path: { kind: 'prefix', value: '/new/' } }), prefix, request)).toBe('http://shop.example:80/new/item?id=1');
  });
});
