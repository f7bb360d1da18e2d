/** rbac: SPIFFE identity parsing, IPv4/IPv6 CIDR matching, x-forwarded-for trusted hops. */
import { describe, expect, it } from 'vitest';
import type { TestEnv } from '../../../harness/testing/index.ts';
import { denyRule, outcome, rbacHost, send } from './helpers.ts';

describe('rbac SPIFFE identity', () => {
  // [URI SAN, principal that must match exactly (null = no identity), namespace (null = none)]
  const IDS: [string, string | null, string | null][] = [
    ['spiffe://cluster.local/ns/default/sa/sleep', 'cluster.local/ns/default/sa/sleep', 'default'],
    ['spiffe://example.org/ns/prod-eu/sa/api-gw', 'example.org/ns/prod-eu/sa/api-gw', 'prod-eu'],
    ['spiffe://td/ns/x', 'td/ns/x', 'x'],
    ['spiffe://td/workload/x', 'td/workload/x', null],
    ['spiffe://td/sa/a/ns/b', 'td/sa/a/ns/b', null],
    ['spiffe://td', null, null],
    ['spiffe:///ns/a/sa/b', null, null],
    ['https://td/ns/a/sa/b', null, null],
    ['SPIFFE://td/ns/a/sa/b', null, null],
  ];

  for (const [uri, principal, ns] of IDS) {
    it(`derives principal ${principal ?? '(none)'} and namespace ${ns ?? '(none)'} from ${uri}`, async () => {
      const byPrincipal = await rbacHost(denyRule({ from: [{ source: { principals: principal ? [principal] : ['*'] } }] }));
      expect(outcome(send(byPrincipal, { uriSan: uri }))).toBe(principal ? 'deny' : 'allow');
      const byNamespace = await rbacHost(denyRule({ from: [{ source: { namespaces: ns ? [ns] : ['*'] } }] }));
      expect(outcome(send(byNamespace, { uriSan: uri }))).toBe(ns ? 'deny' : 'allow');
    });
  }

  it('reads the identity from the first URI SAN only', async () => {
    const env = await rbacHost(denyRule({ from: [{ source: { namespaces: ['b'] } }] }));
    const s = env.openStream({ tls: { uriSans: ['spiffe://td/ns/a/sa/x', 'spiffe://td/ns/b/sa/x'] } });
    s.sendRequestHeaders({ ':method': 'GET', ':path': '/', ':authority': 'a' }, { endStream: true });
    expect(outcome(s)).toBe('allow');
  });
});

describe('rbac CIDR matching', () => {
  // [block, source address, inside?]
  const CIDRS: [string, string, boolean][] = [
    ['10.0.0.1', '10.0.0.1:80', true],
    ['10.0.0.1', '10.0.0.2:80', false],
    ['10.0.0.1/32', '10.0.0.1:80', true],
    ['10.0.0.0/24', '10.0.0.255:80', true],
    ['10.0.0.0/24', '10.0.1.0:80', false],
    ['10.0.0.0/23', '10.0.1.7:80', true],
    ['10.0.0.0/8', '10.255.255.255:80', true],
    ['10.0.0.0/8', '11.0.0.0:80', false],
    ['172.16.0.0/12', '172.31.255.1:80', true],
    ['172.16.0.0/12', '172.32.0.1:80', false],
    ['10.9.9.9/8', '10.1.1.1:80', true],
    ['0.0.0.0/0', '203.0.113.7:80', true],
    ['0.0.0.0/0', '[2001:db8::1]:80', false],
    ['10.0.0.1', '10.0.0.1', true],
    ['2001:db8::1', '[2001:db8::1]:443', true],
    ['2001:db8::1', '[2001:db8::2]:443', false],
    ['2001:db8::/32', '[2001:db8:ffff:1::5]:443', true],
    ['2001:db8::/32', '[2001:db9::5]:443', false],
    ['2001:db8:0:8000::/49', '[2001:db8:0:8001::1]:1', true],
    ['2001:db8:0:8000::/49', '[2001:db8:0:7fff::1]:1', false],
    ['2001:db8::/64', '[2001:db8:0:0:ffff:ffff:ffff:ffff]:1', true],
    ['2001:db8::/65', '[2001:db8::8000:0:0:0]:1', false],
    ['::/0', '[::1]:1', true],
    ['::/0', '10.0.0.1:1', false],
    ['::1', '[::1]:8080', true],
    ['::1/128', '[0:0:0:0:0:0:0:1]:8080', true],
    ['fe80::1:2:3:4', '[FE80:0:0:0:1:2:3:4]:1', true],
    ['10.0.0.0/8', '[::ffff:10.1.2.3]:80', true],
    ['::ffff:10.0.0.0/104', '10.200.0.1:80', true],
    ['::ffff:10.0.0.0/104', '11.0.0.1:80', false],
    ['64:ff9b::/96', '[64:ff9b::192.0.2.33]:80', true],
  ];

  const cache = new Map<string, Promise<TestEnv>>();
  const envFor = (block: string) => {
    if (!cache.has(block)) cache.set(block, rbacHost(denyRule({ from: [{ source: { ipBlocks: [block] } }] })));
    return cache.get(block)!;
  };

  for (const [block, address, inside] of CIDRS) {
    it(`${inside ? 'matches' : 'does not match'} ${address} against ${block}`, async () => {
      const env = await envFor(block);
      expect(outcome(send(env, { sourceAddress: address }))).toBe(inside ? 'deny' : 'allow');
    });
  }
});

describe('rbac remote IP from x-forwarded-for', () => {
  const policy = (hops: number) => denyRule({ from: [{ source: { remoteIpBlocks: ['203.0.113.0/24'] } }] }, { xffNumTrustedHops: hops });

  it('uses the last entry with one trusted hop', async () => {
    const env = await rbacHost(policy(1));
    expect(outcome(send(env, { sourceAddress: '10.0.0.1:1', headers: [['x-forwarded-for', '198.51.100.1, 203.0.113.5']] }))).toBe('deny');
    expect(outcome(send(env, { sourceAddress: '10.0.0.1:1', headers: [['x-forwarded-for', '203.0.113.5, 198.51.100.1']] }))).toBe('allow');
  });

  it('uses the second entry from the right with two trusted hops', async () => {
    const env = await rbacHost(policy(2));
    expect(outcome(send(env, { headers: [['x-forwarded-for', '1.1.1.1,203.0.113.5,10.0.0.9']] }))).toBe('deny');
    expect(outcome(send(env, { headers: [['x-forwarded-for', '203.0.113.5,1.1.1.1,10.0.0.9']] }))).toBe('allow');
  });

  it('falls back to the peer address with fewer entries than trusted hops', async () => {
    const env = await rbacHost(policy(3));
    expect(outcome(send(env, { sourceAddress: '203.0.113.77:5', headers: [['x-forwarded-for', '1.1.1.1, 2.2.2.2']] }))).toBe('deny');
    expect(outcome(send(env, { sourceAddress: '10.0.0.1:5', headers: [['x-forwarded-for', '203.0.113.1, 2.2.2.2']] }))).toBe('allow');
  });

  it('falls back to the peer address without x-forwarded-for', async () => {
    const env = await rbacHost(policy(1));
    expect(outcome(send(env, { sourceAddress: '203.0.113.77:5' }))).toBe('deny');
  });

  it('accepts IPv6 and bracketed entries with ports', async () => {
    const env = await rbacHost(denyRule({ from: [{ source: { remoteIpBlocks: ['2001:db8::/32'] } }] }, { xffNumTrustedHops: 1 }));
    expect(outcome(send(env, { headers: [['x-forwarded-for', '2001:db8::5']] }))).toBe('deny');
    expect(outcome(send(env, { headers: [['x-forwarded-for', '[2001:db8::5]:4711']] }))).toBe('deny');
  });

  it('keeps source.ip on the peer while remote.ip follows x-forwarded-for', async () => {
    const env = await rbacHost({
      xffNumTrustedHops: 1,
      policies: [{ name: 'd', action: 'DENY', rules: [{ when: [{ key: 'source.ip', values: ['10.0.0.0/8'] }, { key: 'remote.ip', values: ['203.0.113.5'] }] }] }],
    });
    expect(outcome(send(env, { sourceAddress: '10.0.0.1:1', headers: [['x-forwarded-for', '203.0.113.5']] }))).toBe('deny');
    expect(outcome(send(env, { sourceAddress: '10.0.0.1:1', headers: [['x-forwarded-for', '203.0.113.6']] }))).toBe('allow');
  });

  it('matches notRemoteIpBlocks against the forwarded client', async () => {
    const env = await rbacHost(denyRule({ from: [{ source: { notRemoteIpBlocks: ['203.0.113.0/24'] } }] }, { xffNumTrustedHops: 1 }));
    expect(outcome(send(env, { headers: [['x-forwarded-for', '203.0.113.5']] }))).toBe('allow');
    expect(outcome(send(env, { headers: [['x-forwarded-for', '198.51.100.5']] }))).toBe('deny');
  });
});
