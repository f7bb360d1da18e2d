/**
 * Client for Envoy's admin interface (also served by the emulated data plane): readiness, stats, listeners, quit.
 * `address` is `host:port` as written by `--admin-address-path`.
 */

export interface ListenerAddress {
  name: string;
  /** `host:port` actually bound. */
  address: string;
}

export interface StatsJson {
  stats: Array<{ name: string; value: number | string } | { histograms: unknown }>;
}

export async function adminGet(address: string, path: string, init?: { method?: string }): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://${address}${path}`, { method: init?.method ?? 'GET' });
  return { status: response.status, body: await response.text() };
}

/** True when `GET /ready` answers 200 (`LIVE`). Connection errors count as not ready. */
export async function isReady(address: string): Promise<boolean> {
  try {
    return (await adminGet(address, '/ready')).status === 200;
  } catch {
    return false;
  }
}

export async function prometheus(address: string): Promise<string> {
  return (await adminGet(address, '/stats/prometheus')).body;
}

export async function statsJson(address: string): Promise<StatsJson> {
  return JSON.parse((await adminGet(address, '/stats?format=json')).body) as StatsJson;
}

/** Value of one counter/gauge by its full Envoy name (e.g. `wasmcustom.router_requests`), or undefined. */
export async function statValue(address: string, name: string): Promise<number | undefined> {
  for (const entry of (await statsJson(address)).stats) {
    if ('name' in entry && entry.name === name) return Number(entry.value);
  }
  return undefined;
}

/** Bound listener addresses from `GET /listeners?format=json`. */
export async function listeners(address: string): Promise<ListenerAddress[]> {
  const body = JSON.parse((await adminGet(address, '/listeners?format=json')).body) as {
    listener_statuses?: Array<{ name: string; local_address?: { socket_address?: { address: string; port_value: number } } }>;
  };
  return (body.listener_statuses ?? []).map((status) => {
    const socket = status.local_address?.socket_address;
    return { name: status.name, address: socket ? `${socket.address}:${socket.port_value}` : '' };
  });
}

export async function quit(address: string): Promise<void> {
  await adminGet(address, '/quitquitquit', { method: 'POST' });
}
