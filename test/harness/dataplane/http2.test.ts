import { mkdtempSync, readFileSync } from 'node:fs';
import { connect, type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDataPlane, type DataPlane } from '../../../harness/dataplane/dataplane.ts';
import { startEchoService, type EchoService } from '../../../harness/dataplane/echo-service.ts';
import { httpRequest } from '../../../harness/dataplane/http-client.ts';
import { renderBootstrap } from '../../../harness/dataplane/scenario.ts';
import { validateBootstrap } from '../../../harness/envoy/validate.ts';
import { hasOpenssl, makePki } from './fixtures.ts';

type Bootstrap = Record<string, any>;
const STDOUT = 'type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog';

function bootstrap(echo: EchoService, hcm: Record<string, unknown>, tls?: { cert: string; key: string }): Bootstrap {
  const b = renderBootstrap({ services: ['v1'], connectionManager: {
    ...hcm,
    access_log: [{ name: 'log', typed_config: { '@type': STDOUT, log_format: { text_format: '%PROTOCOL% %REQ(:SCHEME)% %REQ(:AUTHORITY)% %BYTES_RECEIVED%\n' } } }],
  }, tls: tls ? { certificateChain: tls.cert, privateKey: tls.key } : undefined }, { v1: { address: echo.address, port: echo.port } }) as Bootstrap;
  if (tls) b.static_resources.listeners[0].filter_chains[0].transport_socket.typed_config.common_tls_context.alpn_protocols = ['h2', 'http/1.1'];
  return b;
}

interface H2Response { headers: IncomingHttpHeaders; body: string }

function h2Request(session: ClientHttp2Session, path: string, body?: string): Promise<H2Response> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':method': body === undefined ? 'GET' : 'POST', ':path': path, ':authority': 'h2.example' }, { endStream: body === undefined });
    let headers: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    stream.on('response', (h) => { headers = h; });
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve({ headers, body: Buffer.concat(chunks).toString('utf8') }));
    stream.on('error', reject);
    if (body !== undefined) stream.end(body);
  });
}

describe('HTTP/2 downstream', () => {
  let echo: EchoService;
  const lines: string[] = [];
  const planes: DataPlane[] = [];
  const start = async (b: Bootstrap): Promise<DataPlane> => {
    const plane = await startDataPlane(validateBootstrap(b, 'test'), { accessLogOutput: { stdout: (t) => lines.push(t), stderr: () => undefined } });
    planes.push(plane);
    return plane;
  };
  beforeAll(async () => {
    echo = await startEchoService('v1');
  });
  afterAll(async () => {
    for (const p of planes) await p.stop();
    await echo?.close();
  });

  it.each(['AUTO', 'HTTP2'])('serves h2c with prior knowledge on codec_type %s and proxies over HTTP/1.1', async (codec) => {
    const plane = await start(bootstrap(echo, { codec_type: codec }));
    const session = connect(plane.listeners[0]!.url);
    try {
      const r = await h2Request(session, '/h2?x=1', 'hello');
      expect(r.headers[':status']).toBe(200);
      expect(r.headers['server']).toBe('envoy');
      expect(r.headers['x-served-by']).toBe('v1');
      const seen = JSON.parse(r.body) as { path: string; body: string; headers: Record<string, string> };
      expect(seen).toMatchObject({ path: '/h2?x=1', body: 'hello' });
      expect(seen.headers['host']).toBe('h2.example');
      expect(seen.headers['x-forwarded-proto']).toBe('http');
      expect(lines.at(-1)).toBe('HTTP/2 http h2.example 5\n');
    } finally {
      session.close();
    }
  });

  it('still serves HTTP/1.1 on codec_type AUTO', async () => {
    const plane = await start(bootstrap(echo, { codec_type: 'AUTO' }));
    const r = await httpRequest(`${plane.listeners[0]!.url}/h1`, { authority: 'h1.example' });
    expect(r.status).toBe(200);
    expect(lines.at(-1)).toBe('HTTP/1.1 http h1.example 0\n');
  });

  it('sends the SETTINGS from http2_protocol_options', async () => {
    const plane = await start(bootstrap(echo, { codec_type: 'HTTP2', http2_protocol_options: { max_concurrent_streams: 7, initial_stream_window_size: 131072 } }));
    const session = connect(plane.listeners[0]!.url);
    try {
      await new Promise<void>((resolve) => session.once('remoteSettings', () => resolve()));
      expect(session.remoteSettings.maxConcurrentStreams).toBe(7);
      expect(session.remoteSettings.initialWindowSize).toBe(131072);
    } finally {
      session.close();
    }
  });

  it.skipIf(!hasOpenssl())(`negotiates h2 by ALPN on a TLS listener with alpn_protocols${hasOpenssl() ? '' : ' (skipped: openssl not installed)'}`, async () => {
    const pki = makePki(mkdtempSync(join(tmpdir(), 'asmesh-h2-pki-')));
    const plane = await start(bootstrap(echo, { codec_type: 'AUTO' }, { cert: pki.serverCert, key: pki.serverKey }));
    const session = connect(plane.listeners[0]!.url, { ca: readFileSync(pki.caCert, 'utf8') });
    try {
      const r = await h2Request(session, '/tls');
      expect(r.headers[':status']).toBe(200);
      expect(session.alpnProtocol).toBe('h2');
      expect(lines.at(-1)).toBe('HTTP/2 https h2.example 0\n');
    } finally {
      session.close();
    }
  });
});
