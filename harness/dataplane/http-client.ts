/** A small HTTP/1.1 client for scenarios: raw status/headers/body, wall-clock duration, optional client TLS. */
import { request as httpRequestRaw } from 'node:http';
import { request as httpsRequestRaw } from 'node:https';

export interface ClientTls {
  /** PEM texts. */
  ca?: string;
  cert?: string;
  key?: string;
  servername?: string;
}

export interface ScenarioResponse {
  status: number;
  /** Names lower-cased; repeated values comma-joined. */
  headers: Record<string, string>;
  body: string;
  /** Milliseconds from sending the request to the end of the response. */
  ms: number;
  json<T = Record<string, unknown>>(): T;
}

export function httpRequest(url: string, init: { method?: string; headers?: Record<string, string>; body?: string; tls?: ClientTls; authority?: string } = {}): Promise<ScenarioResponse> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequestRaw : httpRequestRaw;
  const headers: Record<string, string> = { ...init.headers };
  if (init.authority) headers.host = init.authority;
  if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = send(target, {
      method: init.method ?? 'GET',
      headers,
      agent: false,
      ca: init.tls?.ca,
      cert: init.tls?.cert,
      key: init.tls?.key,
      servername: init.tls?.servername,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const out: Record<string, string> = {};
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const k = res.rawHeaders[i]!.toLowerCase();
          out[k] = k in out ? `${out[k]},${res.rawHeaders[i + 1]}` : res.rawHeaders[i + 1]!;
        }
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: out, body, ms: performance.now() - started, json: <T>() => JSON.parse(body) as T });
      });
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
