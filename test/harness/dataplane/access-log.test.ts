import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../harness/errors.ts';
import { startDataPlane, type DataPlane } from '../../../harness/dataplane/dataplane.ts';
import { startEchoService } from '../../../harness/dataplane/echo-service.ts';
import { httpRequest } from '../../../harness/dataplane/http-client.ts';
import { renderBootstrap } from '../../../harness/dataplane/scenario.ts';
import { validateBootstrap } from '../../../harness/envoy/validate.ts';

type Bootstrap = Record<string, any>;
const STDOUT = 'type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog';

function bootstrap(port: number, routes: Record<string, unknown>[], accessLog: unknown[]): Bootstrap {
  const b = renderBootstrap({ services: ['v1'], routes }, { v1: { address: '127.0.0.1', port } }) as Bootstrap;
  b.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.access_log = accessLog;
  return b;
}

async function withPlane(b: Bootstrap, lines: string[], fn: (plane: DataPlane) => Promise<void>): Promise<void> {
  const plane = await startDataPlane(validateBootstrap(b, 'test'), { accessLogOutput: { stdout: (t) => lines.push(`out:${t}`), stderr: (t) => lines.push(`err:${t}`) } });
  try {
    await fn(plane);
  } finally {
    await plane.stop();
  }
}

describe('access logs', () => {
  it('writes Envoy\'s default format to stdout when no format is given', async () => {
    const echo = await startEchoService('v1');
    const lines: string[] = [];
    try {
      await withPlane(bootstrap(echo.port, [{ match: { prefix: '/' }, route: { cluster: 'v1' } }], [{ name: 'envoy.access_loggers.stdout', typed_config: { '@type': STDOUT } }]), lines, async (plane) => {
        await httpRequest(`${plane.listeners[0]!.url}/hello?x=1`, { method: 'POST', body: 'hello', headers: { 'user-agent': 'test-agent', 'x-request-id': 'rid-1' }, authority: 'svc.local' });
      });
    } finally {
      await echo.close();
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(String.raw`^out:\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\] "POST /hello\?x=1 HTTP/1\.1" 200 - 5 \d+ \d+ \d+ "-" "test-agent" "rid-1" "svc\.local" "127\.0\.0\.1:${echo.port}"\n$`),
    );
  });

  it('logs local replies with their response flags and route response headers', async () => {
    const lines: string[] = [];
    const routes = [{ match: { prefix: '/' }, route: { cluster: 'v1' }, response_headers_to_add: [{ header: { key: 'x-route', value: 'yes' } }] }];
    const format = { text_format_source: { inline_string: '%RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %RESP(X-ROUTE)%\n' } };
    const b = bootstrap(1, routes, [{ name: 'envoy.access_loggers.stderr', typed_config: { '@type': STDOUT.replace('Stdout', 'Stderr'), log_format: format } }]);
    b.static_resources.clusters[0].load_assignment.endpoints = [];
    await withPlane(b, lines, async (plane) => {
      const r = await httpRequest(`${plane.listeners[0]!.url}/`);
      expect(r.status).toBe(503);
      expect(r.headers['x-route']).toBe('yes');
    });
    expect(lines).toEqual(['err:503 UH no_healthy_upstream yes\n']);
  });

  it('creates the log file when the data plane starts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'asmesh-access-log-'));
    const path = join(dir, 'access.log');
    const file = { name: 'envoy.access_loggers.file', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog', path } };
    await withPlane(bootstrap(1, [{ match: { prefix: '/' }, direct_response: { status: 204 } }], [file]), [], async () => {
      expect(existsSync(path)).toBe(true);
    });
  });

  it('writes /dev/stdout file logs to the stdout output', async () => {
    const lines: string[] = [];
    const file = { name: 'envoy.access_loggers.file', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog', path: '/dev/stdout', log_format: { text_format: '%RESPONSE_CODE%\n' } } };
    await withPlane(bootstrap(1, [{ match: { prefix: '/' }, direct_response: { status: 204 } }], [file]), lines, async (plane) => {
      await httpRequest(`${plane.listeners[0]!.url}/`);
    });
    expect(lines).toEqual(['out:204\n']);
  });
});

describe('direct responses from files', () => {
  it('refuses to start when the body file is missing, naming the field', async () => {
    const b = bootstrap(1, [{ match: { prefix: '/' }, direct_response: { status: 200, body: { filename: '/nonexistent/body.txt' } } }], []);
    const error = await startDataPlane(validateBootstrap(b, 'test')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('routes[0].direct_response.body.filename: cannot read /nonexistent/body.txt');
  });
});
