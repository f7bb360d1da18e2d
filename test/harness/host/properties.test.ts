import { beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestEnv } from '../../../harness/testing/index.ts';
import { compileTestModule } from './helpers/as-module.ts';

const hex = (s: string): string => Buffer.from(s).toString('hex');
const i64 = (n: number | bigint): string => {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(BigInt(n));
  return b.toString('hex');
};

/** Map "phase path" → "status hex" from the probe's log lines. */
function results(env: TestEnv): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of env.logs('info')) {
    const [phase, path, status, value = ''] = line.split(' ');
    out.set(`${phase} ${path}`, `${status} ${value}`);
  }
  return out;
}

const PATHS = [
  'plugin_name', 'plugin_root_id', 'plugin_vm_id', 'request/path', 'request/url_path', 'request/query', 'request/host',
  'request/method', 'request/scheme', 'request/useragent', 'request/id', 'request/headers/x-h', 'request/protocol',
  'request/time', 'request.path', 'source/address', 'source/port', 'destination/address', 'destination/port',
  'connection/mtls', 'connection/uri_san_peer_certificate', 'connection/subject_peer_certificate',
  'connection/requested_server_name', 'connection/tls_version', 'connection/sha256_peer_certificate_digest',
  'connection/id', 'response/code', 'response/code_details', 'xds/route_name', 'xds/cluster_name', 'xds/node/id',
  'upstream/address', 'nope',
];

describe('properties', () => {
  let wasm: Uint8Array;
  beforeAll(async () => {
    wasm = await compileTestModule('test/harness/host/assembly/property-probe.ts');
  });

  it('encodes Envoy attributes per phase with TLS facts from the peer certificate', async () => {
    const env = await createTestHost({
      wasm, name: 'probe', rootId: 'probe-root', vmId: 'probe-vm', configuration: PATHS.join('\n'), canary: false,
      properties: { 'xds.node.id': 'sidecar~10.0.0.9~pod.ns~ns.svc.cluster.local' },
    });
    const s = env.openStream({
      sourceAddress: '10.0.0.1:5555', destinationAddress: '10.0.0.2:8080', routeName: 'r1', clusterName: 'c1',
      tls: { uriSans: ['spiffe://cluster.local/ns/a/sa/b'], subject: 'CN=b', sni: 'svc.local', version: 'TLSv1.3', sha256PeerCertificateDigest: 'abcd' },
    });
    s.sendRequestHeaders({ ':method': 'POST', ':path': '/a/b?x=1', ':authority': 'svc', ':scheme': 'https', 'user-agent': 'ua', 'x-request-id': 'rid', 'x-h': 'v' }, { endStream: true });
    s.sendResponseHeaders({ ':status': '201' }, { endStream: true });
    s.complete();
    const r = results(env);
    expect(r.get('root plugin_name')).toBe(`0 ${hex('probe')}`);
    expect(r.get('root plugin_root_id')).toBe(`0 ${hex('probe-root')}`);
    expect(r.get('root plugin_vm_id')).toBe(`0 ${hex('probe-vm')}`);
    expect(r.get('root request/path')).toBe('1 ');
    expect(r.get('root xds/node/id')).toBe(`0 ${hex('sidecar~10.0.0.9~pod.ns~ns.svc.cluster.local')}`);
    expect(r.get('request request/path')).toBe(`0 ${hex('/a/b?x=1')}`);
    expect(r.get('request request/url_path')).toBe(`0 ${hex('/a/b')}`);
    expect(r.get('request request/query')).toBe(`0 ${hex('x=1')}`);
    expect(r.get('request request/host')).toBe(`0 ${hex('svc')}`);
    expect(r.get('request request/method')).toBe(`0 ${hex('POST')}`);
    expect(r.get('request request/scheme')).toBe(`0 ${hex('https')}`);
    expect(r.get('request request/useragent')).toBe(`0 ${hex('ua')}`);
    expect(r.get('request request/id')).toBe(`0 ${hex('rid')}`);
    expect(r.get('request request/headers/x-h')).toBe(`0 ${hex('v')}`);
    expect(r.get('request request/protocol')).toBe(`0 ${hex('HTTP/1.1')}`);
    expect(r.get('request request/time')).toBe(`0 ${i64(BigInt(env.clock.now()) * 1_000_000n)}`);
    expect(r.get('request request.path')).toBe('1 ');
    expect(r.get('request source/address')).toBe(`0 ${hex('10.0.0.1:5555')}`);
    expect(r.get('request source/port')).toBe(`0 ${i64(5555)}`);
    expect(r.get('request destination/address')).toBe(`0 ${hex('10.0.0.2:8080')}`);
    expect(r.get('request destination/port')).toBe(`0 ${i64(8080)}`);
    expect(r.get('request connection/mtls')).toBe('0 01');
    expect(r.get('request connection/uri_san_peer_certificate')).toBe(`0 ${hex('spiffe://cluster.local/ns/a/sa/b')}`);
    expect(r.get('request connection/subject_peer_certificate')).toBe(`0 ${hex('CN=b')}`);
    expect(r.get('request connection/requested_server_name')).toBe(`0 ${hex('svc.local')}`);
    expect(r.get('request connection/tls_version')).toBe(`0 ${hex('TLSv1.3')}`);
    expect(r.get('request connection/sha256_peer_certificate_digest')).toBe(`0 ${hex('abcd')}`);
    expect(r.get('request xds/route_name')).toBe(`0 ${hex('r1')}`);
    expect(r.get('request xds/cluster_name')).toBe(`0 ${hex('c1')}`);
    expect(r.get('request response/code')).toBe('1 ');
    expect(r.get('request upstream/address')).toBe('1 ');
    expect(r.get('request nope')).toBe('1 ');
    // After the request continued, header-derived request attributes are gone; stream-info ones stay.
    expect(r.get('response request/path')).toBe('1 ');
    expect(r.get('response request/protocol')).toBe(`0 ${hex('HTTP/1.1')}`);
    expect(r.get('response response/code')).toBe(`0 ${i64(201)}`);
    // The access-log phase sees the request headers again.
    expect(r.get('log request/path')).toBe(`0 ${hex('/a/b?x=1')}`);
    expect(r.get('log response/code_details')).toBe(`0 ${hex('via_upstream')}`);
  });

  it('reports connection.mtls false and no TLS fields on plain-text connections', async () => {
    const env = await createTestHost({ wasm, configuration: 'connection/mtls\nconnection/tls_version', canary: false });
    const s = env.openStream();
    s.sendRequestHeaders({ ':path': '/' }, { endStream: true });
    const r = results(env);
    expect(r.get('request connection/mtls')).toBe('0 00');
    expect(r.get('request connection/tls_version')).toBe('1 ');
  });
});
