/** `direct_response.body.filename`: read when the data plane starts, relative to its working directory, as Envoy does. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../errors.ts';
import type { RouteConfig } from './config-types.ts';

/** Replaces file bodies with their text; a missing or too large file is a ConfigError naming the route. */
export function loadDirectResponseBodies(config: RouteConfig, cwd: string, path: string): void {
  config.virtualHosts.forEach((vh, vi) => vh.routes.forEach((route, ri) => {
    const action = route.action;
    if (action.kind !== 'direct' || typeof action.body === 'string') return;
    const at = `${path}...virtual_hosts[${vi}].routes[${ri}].direct_response.body.filename`;
    const file = resolve(cwd, action.body.filename);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`${at}: cannot read ${file}: ${(error as Error).message}`, undefined, { cause: error });
    }
    if (Buffer.byteLength(text) > config.maxDirectResponseBodyBytes)
      throw new ConfigError(`${at}: response body size is ${Buffer.byteLength(text)} bytes; maximum is ${config.maxDirectResponseBodyBytes} (max_direct_response_body_size_bytes)`);
    action.body = text;
  }));
}
