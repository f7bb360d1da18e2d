/** Shared drivers for the rbac tests: load the built filter with a config, send one request, read the outcome. */
import { createTestHost, type StreamOptions, type TestEnv, type TestStream } from '../../../harness/testing/index.ts';

export const RBAC_WASM = process.env.RBAC_WASM ?? 'dist/filters/rbac.wasm';

export function rbacHost(config: unknown): Promise<TestEnv> {
  return createTestHost({
    wasm: RBAC_WASM, name: 'rbac', rootId: 'rbac', vmId: 'rbac',
    configuration: typeof config === 'string' ? config : JSON.stringify(config),
  });
}

export interface RequestSpec extends StreamOptions {
  path?: string;
  method?: string;
  authority?: string;
  headers?: [string, string][];
  /** Peer certificate URI SAN (mTLS). */
  uriSan?: string;
  sni?: string;
}

/** Send request headers (end of stream) through the filter. */
export function send(env: TestEnv, spec: RequestSpec = {}): TestStream {
  const { path = '/', method = 'GET', authority = 'svc.local', headers = [], uriSan, sni, ...options } = spec;
  if (uriSan !== undefined || sni !== undefined) {
    options.tls = { ...options.tls, ...(uriSan !== undefined ? { uriSans: [uriSan] } : {}), ...(sni !== undefined ? { sni } : {}) };
  }
  const s = env.openStream(options);
  s.sendRequestHeaders([[':authority', authority], [':path', path], [':method', method], [':scheme', 'http'], ...headers], { endStream: true });
  return s;
}

/** 'deny' when the filter answered 403, 'allow' when the request reached the upstream. */
export function outcome(s: TestStream): 'allow' | 'deny' | 'other' {
  if (s.localResponse?.status === 403) return 'deny';
  if (s.upstreamRequest && !s.localResponse) return 'allow';
  return 'other';
}

/** A config with one DENY policy holding `rule`: a request is denied exactly when the rule matches. */
export function denyRule(rule: unknown, extra: Record<string, unknown> = {}): unknown {
  return { ...extra, policies: [{ name: 'p', action: 'DENY', rules: [rule] }] };
}
