/**
 * Upstream echo services for demos and tests: each answers every request with 200, `x-served-by: <name>`
 * and a JSON body echoing what it received, and records the requests it saw (mirror copies included).
 * A request header `x-echo-delay-ms: N` makes it wait N ms before answering (for timeout tests);
 * `x-echo-status: N` makes it answer with status N.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EchoedRequest {
  method: string;
  path: string;
  /** Header names lower-cased; repeated values comma-joined. */
  headers: Record<string, string>;
  body: string;
}

export interface EchoService {
  name: string;
  port: number;
  address: string;
  /** Requests received so far, in arrival order. */
  readonly requests: EchoedRequest[];
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** Resolves once `count` requests have arrived (or rejects after `timeoutMs`). */
  waitForRequests(count: number, timeoutMs?: number): Promise<EchoedRequest[]>;
  close(): Promise<void>;
}

export async function startEchoService(name: string, options: { address?: string; port?: number } = {}): Promise<EchoService> {
  const requests: EchoedRequest[] = [];
  const waiters: (() => void)[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const k = req.rawHeaders[i]!.toLowerCase();
        headers[k] = k in headers ? `${headers[k]},${req.rawHeaders[i + 1]}` : req.rawHeaders[i + 1]!;
      }
      const seen: EchoedRequest = { method: req.method ?? '', path: req.url ?? '', headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(seen);
      for (const w of waiters.splice(0)) w();
      const body = JSON.stringify({ served_by: name, ...seen });
      const status = Number(headers['x-echo-status'] ?? 200) || 200;
      const answer = (): void => {
        if (!res.destroyed) res.writeHead(status, { 'content-type': 'application/json', 'x-served-by': name, 'content-length': Buffer.byteLength(body) }).end(body);
      };
      const delay = Number(headers['x-echo-delay-ms'] ?? 0);
      if (delay > 0) setTimeout(answer, delay).unref();
      else answer();
    });
  });
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.address ?? '127.0.0.1', () => resolve());
  });
  const info = server.address() as AddressInfo;
  return {
    name,
    port: info.port,
    address: info.address,
    get connections() {
      return connections;
    },
    requests,
    async waitForRequests(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < count) {
        if (Date.now() > deadline) throw new Error(`echo service ${name}: expected ${count} requests, got ${requests.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50).unref();
        });
      }
      return requests.slice(0, count);
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
