/**
 * A cluster's hosts and load balancer: STATIC endpoints as written; STRICT_DNS every address of every name
 * (re-resolved each `dns_refresh_rate`); LOGICAL_DNS the first address of its one name. Names resolve through
 * `dns.lookup` (the system resolver, so `localhost` and /etc/hosts work). Picks: ROUND_ROBIN, RANDOM, and
 * LEAST_REQUEST as Envoy's power of two choices over active requests.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { ClusterConfig, SocketAddress } from './config-types.ts';

export interface Host extends SocketAddress {
  /** Requests in flight to this host (LEAST_REQUEST). */
  active: number;
}

export class ClusterHosts {
  private hosts: Host[];
  private next = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly config: ClusterConfig, private readonly random: () => number = Math.random) {
    this.hosts = config.type === 'STATIC' ? config.endpoints.map((e) => ({ ...e, active: 0 })) : [];
  }

  /** Resolves DNS clusters once, then keeps refreshing STRICT_DNS ones until `stop()`. */
  async start(): Promise<void> {
    if (this.config.type === 'STATIC') return;
    await this.refresh();
    if (this.config.type === 'STRICT_DNS') {
      this.timer = setInterval(() => void this.refresh(), this.config.dnsRefreshMs);
      this.timer.unref();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The current hosts (resolved addresses for DNS clusters). */
  list(): readonly Host[] {
    return this.hosts;
  }

  pick(): Host | undefined {
    const hosts = this.hosts;
    if (hosts.length === 0) return undefined;
    switch (this.config.lbPolicy) {
      case 'RANDOM':
        return hosts[Math.floor(this.random() * hosts.length)];
      case 'LEAST_REQUEST': {
        const a = hosts[Math.floor(this.random() * hosts.length)]!;
        const b = hosts[Math.floor(this.random() * hosts.length)]!;
        return b.active < a.active ? b : a;
      }
      case 'ROUND_ROBIN': {
        const host = hosts[this.next % hosts.length];
        this.next = (this.next + 1) % hosts.length;
        return host;
      }
    }
  }

  private async refresh(): Promise<void> {
    const resolved: Host[] = [];
    const names = this.config.type === 'LOGICAL_DNS' ? this.config.endpoints.slice(0, 1) : this.config.endpoints;
    for (const endpoint of names) {
      const addresses = await resolveName(endpoint.address, this.config.dnsLookupFamily);
      const chosen = this.config.type === 'LOGICAL_DNS' ? addresses.slice(0, 1) : addresses;
      // Envoy's DNS hosts carry the resolved name as hostname (auto_host_rewrite uses it).
      for (const address of chosen) resolved.push({ address, port: endpoint.port, hostname: endpoint.hostname ?? endpoint.address, active: 0 });
    }
    // Keep in-flight counts of hosts that survive the refresh.
    for (const host of resolved) host.active = this.hosts.find((h) => h.address === host.address && h.port === host.port)?.active ?? 0;
    this.hosts = resolved;
  }
}

/** Addresses for `name` per `dns_lookup_family`; an unresolvable name yields no hosts (Envoy keeps the cluster empty). */
export async function resolveName(name: string, family: ClusterConfig['dnsLookupFamily']): Promise<string[]> {
  if (isIP(name)) return [name];
  let all: { address: string; family: number }[];
  try {
    all = await lookup(name, { all: true });
  } catch {
    return [];
  }
  const v4 = all.filter((a) => a.family === 4).map((a) => a.address);
  const v6 = all.filter((a) => a.family === 6).map((a) => a.address);
  switch (family) {
    case 'V4_ONLY': return v4;
    case 'V6_ONLY': return v6;
    case 'V4_PREFERRED': return v4.length > 0 ? v4 : v6;
    case 'AUTO': return v6.length > 0 ? v6 : v4;
    case 'ALL': return [...v4, ...v6];
  }
}
