import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpRequest {
  method: string;
  url: URL;
  headers?: Record<string, string>;
  body?: Uint8Array;
  /** Extra trusted CA certificates (PEM) for HTTPS. */
  ca?: string | Buffer;
  signal?: AbortSignal;
  /** Called as request body bytes are handed to the socket. */
  onBodyProgress?: (sent: number) => void;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const WRITE_SLICE = 64 * 1024;

/** One HTTP exchange over node:http(s); the response body is read fully (registry blobs of a Wasm plugin are small). */
export function send(req: HttpRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const isHttps = req.url.protocol === 'https:';
    const headers: Record<string, string> = { ...req.headers };
    if (req.body) headers['content-length'] = String(req.body.length);
    const options = { method: req.method, headers, signal: req.signal, timeout: req.timeoutMs ?? 60_000, ...(isHttps && req.ca ? { ca: req.ca } : {}) };
    const r = (isHttps ? httpsRequest : httpRequest)(req.url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    r.on('error', reject);
    r.on('timeout', () => r.destroy(new Error(`no answer within ${options.timeout} ms`)));
    if (!req.body || req.body.length === 0) return void r.end();
    writeBody(r, req.body, req.onBodyProgress).then(() => r.end(), (e: unknown) => r.destroy(e as Error));
  });
}

async function writeBody(stream: NodeJS.WritableStream, body: Uint8Array, onProgress?: (sent: number) => void): Promise<void> {
  for (let offset = 0; offset < body.length; offset += WRITE_SLICE) {
    const slice = body.subarray(offset, Math.min(offset + WRITE_SLICE, body.length));
    const drained = stream.write(slice);
    onProgress?.(offset + slice.length);
    if (!drained) await new Promise<void>((resolve) => stream.once('drain', resolve));
  }
}

export function header(res: HttpResponse, name: string): string | undefined {
  const value = res.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
