/** Envoy's admin endpoints the emulator serves: /ready, /stats (text, json, prometheus), /listeners, /clusters, /quitquitquit. */
import { createServer, type Server } from 'node:http';
import type { MetricStore } from '../host/index.ts';
import type { SocketAddress } from './config-types.ts';

export interface AdminState {
  metrics: MetricStore;
  listeners: () => { name: string; address: string; port: number }[];
  /** Each cluster's current hosts (DNS clusters: the resolved addresses). */
  clusters: () => [string, readonly SocketAddress[]][];
  onQuit: () => void;
}

export function createAdminServer(state: AdminState): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://admin');
    const text = (status: number, body: string, type = 'text/plain; charset=UTF-8'): void => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-cache, max-age=0', 'x-content-type-options': 'nosniff' }).end(body);
    };
    const filter = url.searchParams.get('filter');
    let pattern: RegExp | null = null;
    try {
      pattern = filter === null ? null : new RegExp(filter);
    } catch {
      return text(400, `Invalid re2 regex: ${filter}\n`);
    }
    const keep = (name: string): boolean => pattern === null || pattern.test(name);
    switch (url.pathname) {
      case '/ready':
        return text(200, 'LIVE\n');
      case '/stats': {
        const format = url.searchParams.get('format');
        if (format === 'json') {
          const json = state.metrics.statsJson() as { stats: Array<Record<string, unknown>> };
          json.stats = json.stats.filter((s) => typeof s.name !== 'string' || keep(s.name));
          return text(200, JSON.stringify(json), 'application/json');
        }
        if (format === 'prometheus') return text(200, state.metrics.prometheus());
        return text(200, state.metrics.statsText().split('\n').filter((line) => line !== '' && keep(line.slice(0, line.indexOf(':')))).map((l) => `${l}\n`).join(''));
      }
      case '/stats/prometheus':
        return text(200, state.metrics.prometheus());
      case '/listeners':
        if (url.searchParams.get('format') === 'json') {
          const statuses = state.listeners().map((l) => ({ name: l.name, local_address: { socket_address: { address: l.address, port_value: l.port } } }));
          return text(200, JSON.stringify({ listener_statuses: statuses }), 'application/json');
        }
        return text(200, state.listeners().map((l) => `${l.name}::${l.address}:${l.port}\n`).join(''));
      case '/clusters':
        return text(200, state.clusters().flatMap(([name, hosts]) => hosts.map((e) => `${name}::${e.address}:${e.port}::health_flags::healthy\n`)).join(''));
      case '/quitquitquit':
        if (req.method !== 'POST') return text(405, 'This endpoint requires POST\n');
        text(200, 'OK\n');
        return state.onQuit();
      default:
        return text(404, `invalid path: ${url.pathname}\n`);
    }
  });
}
