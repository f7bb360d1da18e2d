import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDataPlane, type DataPlane } from '../../../harness/dataplane/dataplane.ts';
import { startEchoService, type EchoService } from '../../../harness/dataplane/echo-service.ts';
import { httpRequest } from '../../../harness/dataplane/http-client.ts';
import { renderBootstrap } from '../../../harness/dataplane/scenario.ts';
import { resolveName } from '../../../harness/dataplane/cluster-hosts.ts';
import { validateBootstrap } from '../../../harness/envoy/validate.ts';

type Bootstrap = Record<string, any>;

async function start(bootstrap: Bootstrap, random?: () => number): Promise<DataPlane> {
  return startDataPlane(validateBootstrap(bootstrap, 'test'), { random });
}

describe('DNS clusters', () => {
  let echo: EchoService;
  beforeAll(async () => {
    echo = await startEchoService('dns', { address: '127.0.0.1' });
  });
  afterAll(async () => echo?.close());

  const dnsBootstrap = (type: string, extra: Record<string, unknown> = {}): Bootstrap => {
    const b = renderBootstrap({ services: ['svc'], routes: [{ match: { prefix: '/' }, route: { cluster: 'svc', auto_host_rewrite: true } }] }, { svc: { address: '127.0.0.1', port: echo.port } }) as Bootstrap;
    Object.assign(b.static_resources.clusters[0], { type, dns_lookup_family: 'V4_ONLY', ...extra });
    b.static_resources.clusters[0].load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address = 'localhost';
    return b;
  };

  it.each(['STRICT_DNS', 'LOGICAL_DNS'])('%s resolves localhost and auto_host_rewrite sends the DNS name as host', async (type) => {
    const plane = await start(dnsBootstrap(type));
    try {
      const r = await httpRequest(`${plane.listeners[0]!.url}/x`, { authority: 'public.example' });
      expect(r.headers['x-served-by']).toBe('dns');
      expect(r.json<{ headers: Record<string, string> }>().headers['host']).toBe('localhost');
      expect(await (await fetch(`http://${plane.adminAddress}/clusters`)).text()).toBe(`svc::127.0.0.1:${echo.port}::health_flags::healthy\n`);
    } finally {
      await plane.stop();
    }
  });

  it('answers no healthy upstream when the name does not resolve', async () => {
    const b = dnsBootstrap('STRICT_DNS');
    b.static_resources.clusters[0].load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address = 'no-such-host.invalid';
    const plane = await start(b);
    try {
      const r = await httpRequest(`${plane.listeners[0]!.url}/`);
      expect(r.status).toBe(503);
      expect(r.body).toBe('no healthy upstream');
    } finally {
      await plane.stop();
    }
  });

  it('filters addresses by dns_lookup_family', async () => {
    expect(await resolveName('127.0.0.1', 'V6_ONLY')).toEqual(['127.0.0.1']);
    const v4 = await resolveName('localhost', 'V4_ONLY');
    expect(v4.length).toBeGreaterThan(0);
    expect(v4.every((a) => a.includes('.'))).toBe(true);
    expect((await resolveName('localhost', 'V6_ONLY')).every((a) => a.includes(':'))).toBe(true);
  });

  it('keeps auto_host_rewrite without effect on STATIC hosts without a hostname, as Envoy does', async () => {
    const b = dnsBootstrap('STATIC');
    b.static_resources.clusters[0].load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address = '127.0.0.1';
    delete b.static_resources.clusters[0].dns_lookup_family;
    const plane = await start(b);
    try {
      const r = await httpRequest(`${plane.listeners[0]!.url}/`, { authority: 'public.example' });
      expect(r.json<{ headers: Record<string, string> }>().headers['host']).toBe('public.example');
    } finally {
      await plane.stop();
    }
  });
});

describe('load balancer policies', () => {
  const echoes: EchoService[] = [];
  beforeAll(async () => {
    for (const name of ['a', 'b', 'c']) echoes.push(await startEchoService(name));
  });
  afterAll(async () => Promise.all(echoes.map((e) => e.close())));

  const lbBootstrap = (policy: string): Bootstrap => {
    const b = renderBootstrap({ services: ['svc'] }, { svc: { address: '127.0.0.1', port: 1 } }) as Bootstrap;
    b.static_resources.clusters[0].lb_policy = policy;
    b.static_resources.clusters[0].load_assignment.endpoints[0].lb_endpoints = echoes.map((e) => ({ endpoint: { address: { socket_address: { address: e.address, port_value: e.port } } } }));
    return b;
  };

  it('RANDOM picks the host the random value selects', async () => {
    const plane = await start(lbBootstrap('RANDOM'), () => 0.7);
    try {
      expect((await httpRequest(`${plane.listeners[0]!.url}/`)).headers['x-served-by']).toBe('c');
    } finally {
      await plane.stop();
    }
  });

  it('LEAST_REQUEST prefers the less busy of two random choices', async () => {
    // Choices alternate between host a (busy with a slow request) and host b.
    const sequence = [0, 0, 0.4, 0];
    let i = 0;
    const plane = await start(lbBootstrap('LEAST_REQUEST'), () => sequence[i++ % sequence.length]!);
    try {
      const url = plane.listeners[0]!.url;
      const slow = httpRequest(`${url}/`, { headers: { 'x-echo-delay-ms': '400' } });
      await new Promise((r) => setTimeout(r, 100));
      expect((await httpRequest(`${url}/`)).headers['x-served-by']).toBe('b');
      expect((await slow).headers['x-served-by']).toBe('a');
    } finally {
      await plane.stop();
    }
  });
});
