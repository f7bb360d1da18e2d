/**
 * rbac path normalisation: a DENY on /admin and /admin/* must hold against every bypass attempt in
 * bypass-corpus.json, without over-matching the control paths; encoded slashes are rejected (default) or decoded.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestEnv } from '../../../harness/testing/index.ts';
import { denyRule, outcome, rbacHost, send } from './helpers.ts';

interface CorpusEntry { path: string; note: string }
const corpus = JSON.parse(readFileSync(new URL('./bypass-corpus.json', import.meta.url), 'utf8')) as { deny: CorpusEntry[]; allow: CorpusEntry[] };
const adminRule = { to: [{ operation: { paths: ['/admin', '/admin/*'] } }] };

describe('rbac bypass corpus (encodedSlashes REJECT)', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await rbacHost(denyRule(adminRule));
  });

  it('holds at least 30 bypass attempts', () => {
    expect(corpus.deny.length).toBeGreaterThanOrEqual(30);
  });

  for (const { path, note } of corpus.deny) {
    it(`denies ${JSON.stringify(path)} (${note})`, () => {
      const s = send(env, { path });
      expect(outcome(s)).toBe('deny');
    });
  }

  for (const { path, note } of corpus.allow) {
    it(`allows control path ${JSON.stringify(path)} (${note})`, () => {
      expect(outcome(send(env, { path }))).toBe('allow');
    });
  }
});

describe('rbac path normalisation', () => {
  it('rejects encoded slashes even for requests no policy path covers', async () => {
    const env = await rbacHost(denyRule(adminRule));
    const s = send(env, { path: '/public%2Fx' });
    expect(s.localResponse).toMatchObject({ status: 403, body: 'RBAC: access denied', details: 'rbac_access_denied_invalid_path' });
    expect(env.counter('rbac.path_rejected')).toBe(1);
  });

  it('decodes encoded slashes with encodedSlashes DECODE and still catches /admin', async () => {
    const env = await rbacHost(denyRule(adminRule, { encodedSlashes: 'DECODE' }));
    expect(outcome(send(env, { path: '/%2Fadmin' }))).toBe('deny');
    expect(outcome(send(env, { path: '/x%2F..%2Fadmin' }))).toBe('deny');
    expect(outcome(send(env, { path: '/x%5C..%5Cadmin' }))).toBe('deny');
    expect(outcome(send(env, { path: '/public%2Fx' }))).toBe('allow');
    expect(env.counter('rbac.path_rejected')).toBe(0);
  });

  // Normalised form observed through an exact ALLOW on the expected path.
  const FORMS: [string, string][] = [
    ['/a//b///c', '/a/b/c'],
    ['/a/./b/../c', '/a/c'],
    ['/%7Euser/%41%42', '/~user/AB'],
    ['/a%20b', '/a%20b'],
    ['/a%2db', '/a-b'],
    ['/a%c3%a9', '/a%C3%A9'],
    ['/a/b/', '/a/b/'],
    ['/a/b/..', '/a/'],
    ['/a?x=/../admin', '/a'],
    ['', '/'],
  ];
  for (const [raw, normalised] of FORMS) {
    it(`normalises ${JSON.stringify(raw)} to ${normalised}`, async () => {
      const env = await rbacHost({ policies: [{ name: 'only', action: 'ALLOW', rules: [{ to: [{ operation: { paths: [normalised] } }] }] }] });
      expect(outcome(send(env, { path: raw }))).toBe('allow');
    });
  }
});

describe('rbac robustness', () => {
  it('never traps on odd paths (seeded random corpus of 2000 paths)', async () => {
    const env = await rbacHost(denyRule(adminRule));
    const alphabet = ['/', '/', '.', '..', '%', '%2', '%2e', '%2F', '%5c', '%61', '%zz', '\\', '?', '#', 'a', 'admin', 'é', '€', ';', '*', ' ', '%00'];
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 2000; i++) {
      let path = '';
      const parts = 1 + rand(12);
      for (let j = 0; j < parts; j++) path += alphabet[rand(alphabet.length)];
      const s = send(env, { path });
      expect(['allow', 'deny'], `path ${JSON.stringify(path)}`).toContain(outcome(s));
    }
    expect(env.violations()).toEqual([]);
  });

  it('handles a request without :path, :method or :authority', async () => {
    const env = await rbacHost({ policies: [{ name: 'd', action: 'DENY', rules: [{ to: [{ operation: { hosts: ['x'], methods: ['GET'] } }] }] }] });
    const s = env.openStream();
    s.sendRequestHeaders([['x-only', '1']], { endStream: true });
    expect(outcome(s)).toBe('allow');
  });

  it('handles a very long path', async () => {
    const env = await rbacHost(denyRule(adminRule));
    expect(outcome(send(env, { path: `${'/a/..'.repeat(5000)}/admin` }))).toBe('deny');
    expect(outcome(send(env, { path: `/${'x'.repeat(60000)}` }))).toBe('allow');
  });
});
