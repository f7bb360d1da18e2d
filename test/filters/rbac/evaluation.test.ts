/** rbac: Istio evaluation order, empty-rule / no-policy semantics, denial reply, audit, dry-run, stats, fail-closed. */
import { describe, expect, it } from 'vitest';
import { createTestHost } from '../../../harness/testing/index.ts';
import { outcome, RBAC_WASM, rbacHost, send } from './helpers.ts';

const adminOnly = { to: [{ operation: { paths: ['/admin'] } }] };

describe('rbac evaluation', () => {
  it('allows every request when no policy is configured', async () => {
    const env = await rbacHost({ policies: [] });
    expect(outcome(send(env, { path: '/anything' }))).toBe('allow');
    expect(env.counter('rbac.allowed')).toBe(1);
  });

  it('denies every request for an ALLOW policy without rules (Istio: matches nothing)', async () => {
    const env = await rbacHost({ policies: [{ name: 'nothing', action: 'ALLOW' }] });
    const s = send(env);
    expect(outcome(s)).toBe('deny');
    expect(s.localResponse?.details).toBe('rbac_access_denied_matched_policy[none]');
  });

  it('allows every request for an ALLOW policy with one empty rule', async () => {
    const env = await rbacHost({ policies: [{ name: 'all', action: 'ALLOW', rules: [{}] }] });
    expect(outcome(send(env, { path: '/x', method: 'DELETE' }))).toBe('allow');
    expect(env.counter('rbac.policy.all.allowed')).toBe(1);
  });

  it('never denies for a DENY policy without rules', async () => {
    const env = await rbacHost({ policies: [{ name: 'nothing', action: 'DENY' }] });
    expect(outcome(send(env))).toBe('allow');
  });

  it('denies every request for a DENY policy with one empty rule', async () => {
    const env = await rbacHost({ policies: [{ name: 'all', action: 'DENY', rules: [{}] }] });
    expect(outcome(send(env))).toBe('deny');
  });

  it('answers 403 with body "RBAC: access denied" and the matched policy in the details', async () => {
    const env = await rbacHost({ policies: [{ name: 'no-admin', action: 'DENY', rules: [adminOnly] }] });
    const s = send(env, { path: '/admin' });
    expect(s.localResponse).toMatchObject({ status: 403, body: 'RBAC: access denied', details: 'rbac_access_denied_matched_policy[no-admin]' });
    expect(s.downstreamResponse.headers?.[':status']).toBe('403');
    expect(s.upstreamRequest).toBeNull();
  });

  it('evaluates DENY before ALLOW: a request matching both is denied', async () => {
    const env = await rbacHost({
      policies: [
        { name: 'allow-all', action: 'ALLOW', rules: [{}] },
        { name: 'deny-admin', action: 'DENY', rules: [adminOnly] },
      ],
    });
    expect(outcome(send(env, { path: '/admin' }))).toBe('deny');
    expect(outcome(send(env, { path: '/other' }))).toBe('allow');
    expect(env.counter('rbac.policy.deny-admin.denied')).toBe(1);
    expect(env.counter('rbac.policy.allow-all.allowed')).toBe(1);
  });

  it('requires one ALLOW policy to match once any ALLOW policy exists', async () => {
    const env = await rbacHost({
      policies: [
        { name: 'get', action: 'ALLOW', rules: [{ to: [{ operation: { methods: ['GET'] } }] }] },
        { name: 'health', action: 'ALLOW', rules: [{ to: [{ operation: { paths: ['/healthz'] } }] }] },
      ],
    });
    expect(outcome(send(env, { method: 'GET' }))).toBe('allow');
    expect(outcome(send(env, { method: 'POST', path: '/healthz' }))).toBe('allow');
    expect(outcome(send(env, { method: 'POST', path: '/x' }))).toBe('deny');
    expect(env.counter('rbac.policy.get.allowed')).toBe(1);
    expect(env.counter('rbac.policy.health.allowed')).toBe(1);
  });

  it('allows requests no DENY policy matches when only DENY policies exist', async () => {
    const env = await rbacHost({ policies: [{ name: 'd', action: 'DENY', rules: [adminOnly] }] });
    expect(outcome(send(env, { path: '/public' }))).toBe('allow');
  });

  it('ORs rules of a policy and entries of from/to, ANDs from, to and when', async () => {
    const env = await rbacHost({
      policies: [{
        name: 'd', action: 'DENY', rules: [
          {
            from: [{ source: { namespaces: ['a'] } }, { source: { namespaces: ['b'] } }],
            to: [{ operation: { methods: ['POST'] } }, { operation: { methods: ['PUT'] } }],
            when: [{ key: 'request.headers[x-a]', values: ['1'] }, { key: 'request.headers[x-b]', values: ['2'] }],
          },
          { to: [{ operation: { paths: ['/always'] } }] },
        ],
      }],
    });
    const both: [string, string][] = [['x-a', '1'], ['x-b', '2']];
    expect(outcome(send(env, { method: 'PUT', uriSan: 'spiffe://td/ns/b/sa/s', headers: both }))).toBe('deny');
    expect(outcome(send(env, { method: 'POST', uriSan: 'spiffe://td/ns/a/sa/s', headers: both }))).toBe('deny');
    expect(outcome(send(env, { method: 'GET', uriSan: 'spiffe://td/ns/a/sa/s', headers: both }))).toBe('allow');
    expect(outcome(send(env, { method: 'POST', uriSan: 'spiffe://td/ns/c/sa/s', headers: both }))).toBe('allow');
    expect(outcome(send(env, { method: 'POST', uriSan: 'spiffe://td/ns/a/sa/s', headers: [['x-a', '1']] }))).toBe('allow');
    expect(outcome(send(env, { path: '/always' }))).toBe('deny');
  });

  it('ANDs the fields of one source', async () => {
    const env = await rbacHost({
      policies: [{ name: 'd', action: 'DENY', rules: [{ from: [{ source: { namespaces: ['a'], ipBlocks: ['10.0.0.0/8'] } }] }] }],
    });
    expect(outcome(send(env, { uriSan: 'spiffe://td/ns/a/sa/s', sourceAddress: '10.1.1.1:1' }))).toBe('deny');
    expect(outcome(send(env, { uriSan: 'spiffe://td/ns/a/sa/s', sourceAddress: '192.168.1.1:1' }))).toBe('allow');
    expect(outcome(send(env, { uriSan: 'spiffe://td/ns/b/sa/s', sourceAddress: '10.1.1.1:1' }))).toBe('allow');
  });
});

describe('rbac audit', () => {
  const config = {
    policies: [
      { name: 'audit-post', action: 'AUDIT', rules: [{ to: [{ operation: { methods: ['POST'] } }] }] },
      { name: 'deny-admin', action: 'DENY', rules: [adminOnly] },
    ],
  };

  it('counts and logs a matching AUDIT policy without changing the decision', async () => {
    const env = await rbacHost(config);
    expect(outcome(send(env, { method: 'POST', path: '/data' }))).toBe('allow');
    expect(env.counter('rbac.audited')).toBe(1);
    expect(env.counter('rbac.policy.audit-post.audited')).toBe(1);
    expect(env.logs('info').join('\n')).toContain('rbac: audit policy audit-post matched POST /data');
  });

  it('audits denied requests too and ignores non-matching ones', async () => {
    const env = await rbacHost(config);
    expect(outcome(send(env, { method: 'POST', path: '/admin' }))).toBe('deny');
    expect(outcome(send(env, { method: 'GET', path: '/x' }))).toBe('allow');
    expect(env.counter('rbac.policy.audit-post.audited')).toBe(1);
  });

  it('does not make AUDIT policies count as ALLOW policies', async () => {
    const env = await rbacHost({ policies: [config.policies[0]] });
    expect(outcome(send(env, { method: 'GET' }))).toBe('allow');
  });
});

describe('rbac dry-run', () => {
  it('lets a request through that would be denied, counting and logging it', async () => {
    const env = await rbacHost({ dryRun: true, policies: [{ name: 'deny-admin', action: 'DENY', rules: [adminOnly] }] });
    const s = send(env, { path: '/admin' });
    expect(outcome(s)).toBe('allow');
    expect(env.counter('rbac.dry_run_denied')).toBe(1);
    expect(env.counter('rbac.policy.deny-admin.dry_run_denied')).toBe(1);
    expect(env.counter('rbac.denied')).toBe(0);
    expect(env.counter('rbac.policy.deny-admin.denied')).toBe(0);
    expect(env.logs('info').join('\n')).toContain('rbac: dry-run: would deny (DENY policy matched): rbac_access_denied_matched_policy[deny-admin]');
  });

  it('counts a would-be "no ALLOW matched" denial and a rejected path', async () => {
    const env = await rbacHost({ dryRun: true, policies: [{ name: 'a', action: 'ALLOW', rules: [adminOnly] }] });
    expect(outcome(send(env, { path: '/other' }))).toBe('allow');
    expect(outcome(send(env, { path: '/%2Fadmin' }))).toBe('allow');
    expect(outcome(send(env, { path: '/admin' }))).toBe('allow');
    expect(env.counter('rbac.dry_run_denied')).toBe(2);
    expect(env.counter('rbac.path_rejected')).toBe(1);
    expect(env.counter('rbac.allowed')).toBe(1);
  });
});

describe('rbac stats', () => {
  it('defines the filter and per-policy counters at load, all zero', async () => {
    const env = await rbacHost({ policies: [{ name: 'p1', action: 'DENY' }, { name: 'p2', action: 'AUDIT' }] });
    for (const name of ['allowed', 'denied', 'dry_run_denied', 'audited', 'internal_error', 'path_rejected']) {
      expect(env.counter(`rbac.${name}`), name).toBe(0);
    }
    for (const p of ['p1', 'p2']) {
      for (const name of ['allowed', 'denied', 'audited', 'dry_run_denied']) expect(env.counter(`rbac.policy.${p}.${name}`)).toBe(0);
    }
  });

  it('shows the counters in Prometheus text with the wasmcustom namespace stripped', async () => {
    const env = await rbacHost({ policies: [{ name: 'deny-all', action: 'DENY', rules: [{}] }] });
    send(env);
    send(env);
    const text = env.prometheus();
    expect(text).toContain('# TYPE rbac_denied counter\nrbac_denied{} 2\n');
    expect(text).toContain('# TYPE rbac_policy_deny_all_denied counter\nrbac_policy_deny_all_denied{} 2\n');
  });
});

describe('rbac stats with the documented policy tag rule', () => {
  it('shows the policy name as a Prometheus label', async () => {
    const env = await createTestHost({
      wasm: RBAC_WASM, name: 'rbac', rootId: 'rbac', vmId: 'rbac',
      configuration: JSON.stringify({ policies: [{ name: 'deny-all', action: 'DENY', rules: [{}] }] }),
      statsTags: [{ tagName: 'policy', regex: '^wasmcustom\\.rbac\\.policy\\.(([^.]+)\\.)' }],
    });
    send(env);
    expect(env.prometheus()).toContain('# TYPE rbac_policy_denied counter\nrbac_policy_denied{policy="deny-all"} 1\n');
  });
});

describe('rbac fail-closed', () => {
  const ipPolicy = { policies: [{ name: 'allow-internal', action: 'ALLOW', rules: [{ from: [{ source: { ipBlocks: ['10.0.0.0/8'] } }] }] }] };

  it('denies and counts when the source address property is malformed', async () => {
    const env = await rbacHost(ipPolicy);
    const s = send(env, { sourceAddress: 'not-an-address' });
    expect(s.localResponse).toMatchObject({ status: 403, details: 'rbac_access_denied_internal_error' });
    expect(env.counter('rbac.internal_error')).toBe(1);
    expect(env.counter('rbac.denied')).toBe(1);
  });

  it('denies when the destination port property has the wrong type (injected host error)', async () => {
    const env = await rbacHost({ policies: [{ name: 'd', action: 'DENY', rules: [{ to: [{ operation: { ports: ['9999'] } }] }] }] });
    // A DENY on another port would allow this request; the unreadable port must deny instead.
    const s = send(env, { extraProperties: { 'destination.port': 'eighty' } });
    expect(s.localResponse?.details).toBe('rbac_access_denied_internal_error');
    expect(env.counter('rbac.internal_error')).toBe(1);
  });

  it('denies when the destination port property is missing', async () => {
    const env = await rbacHost({ policies: [{ name: 'd', action: 'DENY', rules: [{ to: [{ operation: { notPorts: ['80'] } }] }] }] });
    const s = send(env, { destinationAddress: '' });
    expect(s.localResponse?.details).toBe('rbac_access_denied_internal_error');
  });

  it('denies when the trusted x-forwarded-for entry is not an IP address', async () => {
    const env = await rbacHost({
      xffNumTrustedHops: 1,
      policies: [{ name: 'd', action: 'DENY', rules: [{ from: [{ source: { remoteIpBlocks: ['203.0.113.0/24'] } }] }] }],
    });
    const s = send(env, { headers: [['x-forwarded-for', '1.2.3.4, garbage']] });
    expect(s.localResponse?.details).toBe('rbac_access_denied_internal_error');
  });

  it('reads no property a policy does not need (a malformed one is then harmless)', async () => {
    const env = await rbacHost({ policies: [{ name: 'd', action: 'DENY', rules: [adminOnly] }] });
    env.resetHostcalls();
    expect(outcome(send(env, { sourceAddress: 'garbage', path: '/x' }))).toBe('allow');
    expect(env.hostcalls('proxy_on_request_headers').proxy_get_property ?? 0).toBe(0);
    expect(env.counter('rbac.internal_error')).toBe(0);
  });

  it('reads the header map once and each needed property once per request', async () => {
    const env = await rbacHost({
      policies: [
        { name: 'd1', action: 'DENY', rules: [{ from: [{ source: { principals: ['*/sa/evil'] } }] }] },
        { name: 'd2', action: 'DENY', rules: [{ from: [{ source: { namespaces: ['evil'] } }] }] },
        { name: 'a', action: 'ALLOW', rules: [{ from: [{ source: { namespaces: ['shop'], ipBlocks: ['10.0.0.0/8'] } }] }] },
      ],
    });
    env.resetHostcalls();
    expect(outcome(send(env, { uriSan: 'spiffe://td/ns/shop/sa/cart', sourceAddress: '10.0.0.1:1' }))).toBe('allow');
    const calls = env.hostcalls('proxy_on_request_headers');
    expect(calls.proxy_get_header_map_pairs).toBe(1);
    expect(calls.proxy_get_property).toBe(2); // URI SAN and source address, each once
  });

  it('stays allowed in dry-run on an internal error, but counts it', async () => {
    const env = await rbacHost({ ...ipPolicy, dryRun: true });
    expect(outcome(send(env, { sourceAddress: 'not-an-address' }))).toBe('allow');
    expect(env.counter('rbac.internal_error')).toBe(1);
    expect(env.counter('rbac.dry_run_denied')).toBe(1);
  });
});
