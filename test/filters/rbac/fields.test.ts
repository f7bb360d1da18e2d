/**
 * rbac: every source / operation field and every `when` key, with each match kind. Each case loads one DENY policy
 * holding the rule, so "deny" means "the rule matched".
 */
import { describe, expect, it } from 'vitest';
import { denyRule, outcome, rbacHost, send, type RequestSpec } from './helpers.ts';

type Case = [title: string, rule: unknown, request: RequestSpec, expected: 'deny' | 'allow'];

const src = (source: Record<string, unknown>) => ({ from: [{ source }] });
const op = (operation: Record<string, unknown>) => ({ to: [{ operation }] });
const when = (key: string, values?: string[], notValues?: string[]) => ({ when: [{ key, ...(values ? { values } : {}), ...(notValues ? { notValues } : {}) }] });

const SA = 'spiffe://cluster.local/ns/shop/sa/cart';

const CASES: Case[] = [
  // principals: exact, prefix, suffix, presence
  ['principals exact match', src({ principals: ['cluster.local/ns/shop/sa/cart'] }), { uriSan: SA }, 'deny'],
  ['principals exact mismatch', src({ principals: ['cluster.local/ns/shop/sa/other'] }), { uriSan: SA }, 'allow'],
  ['principals prefix', src({ principals: ['cluster.local/ns/shop/*'] }), { uriSan: SA }, 'deny'],
  ['principals suffix', src({ principals: ['*/sa/cart'] }), { uriSan: SA }, 'deny'],
  ['principals suffix mismatch', src({ principals: ['*/sa/web'] }), { uriSan: SA }, 'allow'],
  ['principals presence with mTLS', src({ principals: ['*'] }), { uriSan: SA }, 'deny'],
  ['principals presence without mTLS', src({ principals: ['*'] }), {}, 'allow'],
  ['principals values are ORed', src({ principals: ['x', 'cluster.local/ns/shop/sa/cart'] }), { uriSan: SA }, 'deny'],
  ['notPrincipals excludes a match', src({ notPrincipals: ['*/sa/cart'] }), { uriSan: SA }, 'allow'],
  ['notPrincipals holds for another principal', src({ notPrincipals: ['*/sa/web'] }), { uriSan: SA }, 'deny'],
  ['notPrincipals presence holds without mTLS', src({ notPrincipals: ['*'] }), {}, 'deny'],
  // namespaces
  ['namespaces exact', src({ namespaces: ['shop'] }), { uriSan: SA }, 'deny'],
  ['namespaces mismatch', src({ namespaces: ['web'] }), { uriSan: SA }, 'allow'],
  ['namespaces prefix', src({ namespaces: ['sh*'] }), { uriSan: SA }, 'deny'],
  ['namespaces suffix', src({ namespaces: ['*op'] }), { uriSan: SA }, 'deny'],
  ['namespaces presence without mTLS', src({ namespaces: ['*'] }), {}, 'allow'],
  ['notNamespaces excludes', src({ notNamespaces: ['shop'] }), { uriSan: SA }, 'allow'],
  ['notNamespaces holds for plain text', src({ notNamespaces: ['shop'] }), {}, 'deny'],
  // ipBlocks / notIpBlocks (source address, port stripped)
  ['ipBlocks single address', src({ ipBlocks: ['10.1.2.3'] }), { sourceAddress: '10.1.2.3:4000' }, 'deny'],
  ['ipBlocks CIDR', src({ ipBlocks: ['10.1.0.0/16'] }), { sourceAddress: '10.1.200.3:4000' }, 'deny'],
  ['ipBlocks CIDR miss', src({ ipBlocks: ['10.1.0.0/16'] }), { sourceAddress: '10.2.0.1:4000' }, 'allow'],
  ['notIpBlocks excludes', src({ notIpBlocks: ['10.0.0.0/8'] }), { sourceAddress: '10.2.0.1:4000' }, 'allow'],
  ['notIpBlocks holds outside', src({ notIpBlocks: ['10.0.0.0/8'] }), { sourceAddress: '192.168.0.1:4000' }, 'deny'],
  ['ipBlocks IPv6', src({ ipBlocks: ['fd00:1::/32'] }), { sourceAddress: '[fd00:1:2::9]:4000' }, 'deny'],
  // remoteIpBlocks without trusted hops: the peer address
  ['remoteIpBlocks without trusted hops uses the peer', src({ remoteIpBlocks: ['10.0.0.0/8'] }),
    { sourceAddress: '10.0.0.1:1', headers: [['x-forwarded-for', '203.0.113.9']] }, 'deny'],
  ['notRemoteIpBlocks without trusted hops', src({ notRemoteIpBlocks: ['10.0.0.0/8'] }), { sourceAddress: '10.0.0.1:1' }, 'allow'],
  // hosts: case-insensitive, with or without port
  ['hosts exact', op({ hosts: ['shop.example.com'] }), { authority: 'shop.example.com' }, 'deny'],
  ['hosts case-insensitive', op({ hosts: ['Shop.Example.com'] }), { authority: 'SHOP.example.COM' }, 'deny'],
  ['hosts ignores the port', op({ hosts: ['shop.example.com'] }), { authority: 'shop.example.com:8443' }, 'deny'],
  ['hosts with port', op({ hosts: ['shop.example.com:8443'] }), { authority: 'shop.example.com:8443' }, 'deny'],
  ['hosts suffix', op({ hosts: ['*.example.com'] }), { authority: 'api.example.com' }, 'deny'],
  ['hosts prefix', op({ hosts: ['api.*'] }), { authority: 'api.internal' }, 'deny'],
  ['hosts mismatch', op({ hosts: ['*.example.com'] }), { authority: 'example.org' }, 'allow'],
  ['notHosts excludes', op({ notHosts: ['*.example.com'] }), { authority: 'a.example.com' }, 'allow'],
  ['notHosts holds', op({ notHosts: ['*.example.com'] }), { authority: 'a.example.org' }, 'deny'],
  // ports / notPorts (destination port)
  ['ports match', op({ ports: ['8080'] }), { destinationAddress: '10.0.0.2:8080' }, 'deny'],
  ['ports mismatch', op({ ports: ['8080'] }), { destinationAddress: '10.0.0.2:9090' }, 'allow'],
  ['notPorts excludes', op({ notPorts: ['8080', '9090'] }), { destinationAddress: '10.0.0.2:9090' }, 'allow'],
  ['notPorts holds', op({ notPorts: ['8080'] }), { destinationAddress: '10.0.0.2:9090' }, 'deny'],
  // methods / notMethods
  ['methods exact', op({ methods: ['DELETE'] }), { method: 'DELETE' }, 'deny'],
  ['methods are case-sensitive', op({ methods: ['delete'] }), { method: 'DELETE' }, 'allow'],
  ['methods prefix', op({ methods: ['P*'] }), { method: 'PATCH' }, 'deny'],
  ['notMethods excludes', op({ notMethods: ['GET', 'HEAD'] }), { method: 'HEAD' }, 'allow'],
  ['notMethods holds', op({ notMethods: ['GET', 'HEAD'] }), { method: 'POST' }, 'deny'],
  // paths / notPaths
  ['paths exact', op({ paths: ['/api/v1'] }), { path: '/api/v1' }, 'deny'],
  ['paths exact ignores the query', op({ paths: ['/api/v1'] }), { path: '/api/v1?debug=1' }, 'deny'],
  ['paths exact mismatch', op({ paths: ['/api/v1'] }), { path: '/api/v1/x' }, 'allow'],
  ['paths prefix', op({ paths: ['/api/*'] }), { path: '/api/v1/x' }, 'deny'],
  ['paths suffix', op({ paths: ['*.php'] }), { path: '/x/index.php' }, 'deny'],
  ['paths presence', op({ paths: ['*'] }), { path: '/' }, 'deny'],
  ['notPaths excludes', op({ notPaths: ['/public/*'] }), { path: '/public/a' }, 'allow'],
  ['notPaths holds', op({ notPaths: ['/public/*'] }), { path: '/private' }, 'deny'],
  ['operation fields are ANDed', op({ methods: ['POST'], paths: ['/a'] }), { method: 'GET', path: '/a' }, 'allow'],
  // when: request.headers[name]
  ['when header values exact', when('request.headers[X-Env]', ['prod']), { headers: [['x-env', 'prod']] }, 'deny'],
  ['when header values prefix', when('request.headers[x-env]', ['pr*']), { headers: [['x-env', 'prod']] }, 'deny'],
  ['when header values suffix', when('request.headers[x-env]', ['*od']), { headers: [['x-env', 'prod']] }, 'deny'],
  ['when header presence', when('request.headers[x-env]', ['*']), { headers: [['x-env', 'x']] }, 'deny'],
  ['when header absent does not match values', when('request.headers[x-env]', ['*']), {}, 'allow'],
  ['when header notValues excludes', when('request.headers[x-env]', undefined, ['prod']), { headers: [['x-env', 'prod']] }, 'allow'],
  ['when header notValues holds for absent header', when('request.headers[x-env]', undefined, ['prod']), {}, 'deny'],
  ['when header values and notValues together', when('request.headers[x-env]', ['*'], ['test']), { headers: [['x-env', 'test']] }, 'allow'],
  ['when repeated header is joined with commas', when('request.headers[x-tag]', ['a,b']), { headers: [['x-tag', 'a'], ['x-tag', 'b']] }, 'deny'],
  // when: source.ip / remote.ip
  ['when source.ip CIDR', when('source.ip', ['192.168.0.0/16']), { sourceAddress: '192.168.4.4:1' }, 'deny'],
  ['when source.ip notValues', when('source.ip', undefined, ['192.168.0.0/16']), { sourceAddress: '192.168.4.4:1' }, 'allow'],
  ['when remote.ip (peer when no trusted hops)', when('remote.ip', ['192.168.4.4']), { sourceAddress: '192.168.4.4:1' }, 'deny'],
  // when: source.namespace / source.principal
  ['when source.namespace', when('source.namespace', ['shop']), { uriSan: SA }, 'deny'],
  ['when source.namespace notValues', when('source.namespace', undefined, ['shop']), { uriSan: SA }, 'allow'],
  ['when source.principal suffix', when('source.principal', ['*/sa/cart']), { uriSan: SA }, 'deny'],
  ['when source.principal without mTLS', when('source.principal', ['*']), {}, 'allow'],
  // when: destination.port
  ['when destination.port', when('destination.port', ['8443']), { destinationAddress: '10.0.0.2:8443' }, 'deny'],
  ['when destination.port notValues', when('destination.port', undefined, ['8443']), { destinationAddress: '10.0.0.2:8443' }, 'allow'],
  // when: connection.sni
  ['when connection.sni exact', when('connection.sni', ['shop.example.com']), { sni: 'shop.example.com', uriSan: SA }, 'deny'],
  ['when connection.sni suffix', when('connection.sni', ['*.example.com']), { sni: 'shop.example.com', uriSan: SA }, 'deny'],
  ['when connection.sni on plain text', when('connection.sni', ['*']), {}, 'allow'],
  ['when conditions are ANDed', { when: [{ key: 'source.namespace', values: ['shop'] }, { key: 'request.headers[x-env]', values: ['prod'] }] },
    { uriSan: SA, headers: [['x-env', 'dev']] }, 'allow'],
];

describe('rbac fields and match kinds', () => {
  for (const [title, rule, request, expected] of CASES) {
    it(`${expected === 'deny' ? 'matches' : 'does not match'}: ${title}`, async () => {
      const env = await rbacHost(denyRule(rule));
      const s = send(env, request);
      expect(outcome(s)).toBe(expected);
      expect(env.counter('rbac.internal_error')).toBe(0);
    });
  }
});
