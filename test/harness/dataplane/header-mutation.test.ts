import { describe, expect, it } from 'vitest';
import { HeaderMap } from '../../../harness/host/header-map.ts';
import type { AppendAction, HeaderPolicy } from '../../../harness/dataplane/config-types.ts';
import { parseFormat } from '../../../harness/dataplane/formatter.ts';
import { applyHeaderPolicies, headerLevels } from '../../../harness/dataplane/header-mutation.ts';

const add = (name: string, value: string, action: AppendAction = 'APPEND_IF_EXISTS_OR_ADD', keepEmpty = false) =>
  ({ name, value: parseFormat(value, (m) => { throw new Error(m); }), action, keepEmpty });
const policy = (request: HeaderPolicy['request']): HeaderPolicy => ({ request, response: { remove: [], add: [] } });
const apply = (policies: HeaderPolicy[], init: Record<string, string> = {}): HeaderMap => {
  const headers = new HeaderMap({ ':path': '/', ...init });
  applyHeaderPolicies(policies, 'request', headers, { streamInfo: { sourceAddress: '10.1.2.3:40000' }, requestHeaders: headers });
  return headers;
};

describe('route header policies', () => {
  it('appends by default, keeping the existing value', () => {
    expect(apply([policy({ remove: [], add: [add('x-a', 'new')] })], { 'x-a': 'old' }).getAll('x-a')).toEqual(['old', 'new']);
  });

  it('adds only when absent with ADD_IF_ABSENT', () => {
    const p = policy({ remove: [], add: [add('x-a', 'new', 'ADD_IF_ABSENT'), add('x-b', 'new', 'ADD_IF_ABSENT')] });
    const h = apply([p], { 'x-a': 'old' });
    expect(h.getAll('x-a')).toEqual(['old']);
    expect(h.get('x-b')).toBe('new');
  });

  it('overwrites only existing headers with OVERWRITE_IF_EXISTS', () => {
    const p = policy({ remove: [], add: [add('x-a', 'new', 'OVERWRITE_IF_EXISTS'), add('x-b', 'new', 'OVERWRITE_IF_EXISTS')] });
    const h = apply([p], { 'x-a': 'old' });
    expect(h.getAll('x-a')).toEqual(['new']);
    expect(h.has('x-b')).toBe(false);
  });

  it('removes before adding within one level', () => {
    expect(apply([policy({ remove: ['x-a'], add: [add('x-a', 'mine')] })], { 'x-a': 'theirs' }).getAll('x-a')).toEqual(['mine']);
  });

  it('skips values that format empty unless keep_empty_value', () => {
    const h = apply([policy({ remove: [], add: [add('x-empty', '%REQ(x-none)%'), add('x-kept', '%REQ(x-none)%', 'APPEND_IF_EXISTS_OR_ADD', true)] })]);
    expect(h.has('x-empty')).toBe(false);
    expect(h.get('x-kept')).toBe('');
  });

  it('formats command operators in values', () => {
    expect(apply([policy({ remove: [], add: [add('x-peer', '%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%')] })]).get('x-peer')).toBe('10.1.2.3');
  });

  it('evaluates route, virtual host, route config in that order unless the most specific wins', () => {
    const level = (v: string) => policy({ remove: [], add: [add('x-level', v, 'OVERWRITE_IF_EXISTS_OR_ADD')] });
    const levels = { route: level('route'), virtualHost: level('vhost'), routeConfig: level('config') };
    expect(apply(headerLevels(levels, false)).get('x-level')).toBe('config');
    expect(apply(headerLevels(levels, true)).get('x-level')).toBe('route');
  });
});
