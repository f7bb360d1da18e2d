/**
 * Envoy's substitution format strings (access log formats and custom header values) for a small set of
 * command operators. A format naming any other operator is refused with its path, never printed literally.
 */
import { hostname } from 'node:os';
import type { HeaderMap, StreamInfo } from '../host/index.ts';
import { responseFlagsText } from './response-flags.ts';
import { startTimeFormatter } from './start-time.ts';

/** What an operator reads: the stream's info and its header maps (absent while not yet known). */
export interface FormatContext {
  streamInfo: StreamInfo;
  requestHeaders?: HeaderMap;
  responseHeaders?: HeaderMap;
  /** Milliseconds since epoch when the stream ended (for %DURATION%). */
  endTimeMs?: number;
}

const COMMAND = /%([A-Z0-9_]+(?:\([^)]*\))?(?::\d+)?)%/y;

type Part = string | ((ctx: FormatContext) => string | undefined);

export interface Formatter {
  /** `missing` replaces unavailable values: `-` in access logs, empty in header values. */
  format(ctx: FormatContext, missing: string): string;
}

export const SUPPORTED_OPERATORS = [
  'START_TIME', 'START_TIME(format)', 'REQ(X)', 'RESP(X)', 'RESPONSE_CODE', 'RESPONSE_FLAGS', 'RESPONSE_CODE_DETAILS', 'BYTES_RECEIVED', 'BYTES_SENT', 'DURATION',
  'UPSTREAM_HOST', 'UPSTREAM_CLUSTER', 'PROTOCOL', 'ROUTE_NAME', 'HOSTNAME', 'DOWNSTREAM_REMOTE_ADDRESS', 'DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT',
  'DOWNSTREAM_LOCAL_ADDRESS', 'DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT', 'UPSTREAM_REMOTE_ADDRESS',
] as const;

const withoutPort = (address: string | undefined): string | undefined => address?.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');

const SIMPLE: Record<string, (ctx: FormatContext) => string | undefined> = {
  START_TIME: (c) => new Date(c.streamInfo.startTimeMs ?? Date.now()).toISOString(),
  RESPONSE_CODE: (c) => String(c.streamInfo.responseCode ?? 0),
  RESPONSE_FLAGS: (c) => responseFlagsText(c.streamInfo.responseFlags ?? 0),
  RESPONSE_CODE_DETAILS: (c) => c.streamInfo.responseCodeDetails,
  BYTES_RECEIVED: (c) => String(c.streamInfo.bytesReceived ?? 0),
  BYTES_SENT: (c) => String(c.streamInfo.bytesSent ?? 0),
  DURATION: (c) => (c.endTimeMs === undefined ? undefined : String(Math.max(0, Math.round(c.endTimeMs - (c.streamInfo.startTimeMs ?? c.endTimeMs))))),
  UPSTREAM_HOST: (c) => c.streamInfo.upstreamAddress,
  UPSTREAM_REMOTE_ADDRESS: (c) => c.streamInfo.upstreamAddress,
  UPSTREAM_CLUSTER: (c) => c.streamInfo.clusterName,
  PROTOCOL: (c) => c.streamInfo.protocol,
  ROUTE_NAME: (c) => c.streamInfo.routeName || undefined,
  HOSTNAME: () => hostname(),
  DOWNSTREAM_REMOTE_ADDRESS: (c) => c.streamInfo.sourceAddress,
  DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT: (c) => withoutPort(c.streamInfo.sourceAddress),
  DOWNSTREAM_LOCAL_ADDRESS: (c) => c.streamInfo.destinationAddress,
  DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT: (c) => withoutPort(c.streamInfo.destinationAddress),
};

/**
 * Parses `format`; each unsupported operator is reported through `refuse` (with the operator named) and the
 * formatter returned is still usable. `%%` is a literal percent sign, as in Envoy.
 */
export function parseFormat(format: string, refuse: (message: string) => void): Formatter {
  const parts: Part[] = [];
  let literal = '';
  let i = 0;
  while (i < format.length) {
    const c = format[i]!;
    if (c !== '%') {
      literal += c;
      i++;
      continue;
    }
    if (format[i + 1] === '%') {
      literal += '%';
      i += 2;
      continue;
    }
    // Envoy's command syntax: %NAME%, %NAME(arg)%, %NAME(arg):N% (the argument may hold '%', not ')').
    COMMAND.lastIndex = i;
    const command = COMMAND.exec(format);
    if (!command) {
      refuse(`no valid command operator at ${JSON.stringify(format.slice(i))}`);
      break;
    }
    const operator = command[1]!;
    const end = i + command[0].length - 1;
    const part = operatorPart(operator, refuse);
    if (!part) refuse(`command operator %${operator}% not supported by the emulated data plane (supported: ${SUPPORTED_OPERATORS.map((o) => `%${o}%`).join(', ')})`);
    else {
      if (literal) parts.push(literal);
      literal = '';
      parts.push(part);
    }
    i = end + 1;
  }
  if (literal) parts.push(literal);
  return {
    format(ctx, missing) {
      return parts.map((p) => (typeof p === 'string' ? p : p(ctx) || missing)).join('');
    },
  };
}

function operatorPart(operator: string, refuse: (message: string) => void): Part | undefined {
  const simple = SIMPLE[operator];
  if (simple) return simple;
  const time = /^START_TIME\((.*)\)$/.exec(operator);
  if (time) {
    const render = startTimeFormatter(time[1]!, refuse);
    return (c) => render(c.streamInfo.startTimeMs ?? Date.now());
  }
  const m = /^(REQ|RESP)\(([^)?]+)(?:\?([^)]+))?\)(?::(\d+))?$/.exec(operator);
  if (!m) return undefined;
  const [, kind, main, alt, max] = m;
  const names = [main!.toLowerCase(), ...(alt ? [alt.toLowerCase()] : [])];
  return (ctx) => {
    const map = kind === 'REQ' ? ctx.requestHeaders : ctx.responseHeaders;
    if (!map) return undefined;
    for (const name of names) {
      const values = map.getAll(name);
      if (values.length > 0) {
        const value = values.join(',');
        return max ? value.slice(0, Number(max)) : value;
      }
    }
    return undefined;
  };
}
