import { describe, expect, it } from 'vitest';
import { HeaderMap } from '../../../harness/host/header-map.ts';
import { DEFAULT_ACCESS_LOG_FORMAT } from '../../../harness/dataplane/access-log.ts';
import { parseFormat } from '../../../harness/dataplane/formatter.ts';
import { ResponseFlag } from '../../../harness/dataplane/response-flags.ts';

const noRefusal = (message: string): never => {
  throw new Error(message);
};

const ctx = {
  streamInfo: {
    startTimeMs: Date.UTC(2024, 0, 2, 3, 4, 5, 678), responseCode: 503, responseFlags: ResponseFlag.NoHealthyUpstream | ResponseFlag.UpstreamConnectionFailure,
    bytesReceived: 12, bytesSent: 34, protocol: 'HTTP/1.1' as const, upstreamAddress: '10.0.0.9:8080', sourceAddress: '192.0.2.1:5555', responseCodeDetails: 'via_upstream',
  },
  requestHeaders: new HeaderMap({ ':method': 'POST', ':path': '/a?b', 'x-multi': 'one', 'user-agent': 'curl/8' }),
  responseHeaders: new HeaderMap({ ':status': '503', 'x-envoy-upstream-service-time': '7' }),
  endTimeMs: Date.UTC(2024, 0, 2, 3, 4, 5, 700),
};

describe('substitution formatter', () => {
  it('renders Envoy\'s default access log format with - for missing values', () => {
    const line = parseFormat(DEFAULT_ACCESS_LOG_FORMAT, noRefusal).format(ctx, '-');
    expect(line).toBe('[2024-01-02T03:04:05.678Z] "POST /a?b HTTP/1.1" 503 UH,UF 12 34 22 7 "-" "curl/8" "-" "-" "10.0.0.9:8080"\n');
  });

  it('takes the alternative header of REQ(X?Y) and truncates to the :N length', () => {
    ctx.requestHeaders.add('x-envoy-original-path', '/original');
    expect(parseFormat('%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %REQ(USER-AGENT):4%', noRefusal).format(ctx, '-')).toBe('/original curl');
    ctx.requestHeaders.remove('x-envoy-original-path');
  });

  it('keeps %% as a literal percent sign and renders address operators', () => {
    expect(parseFormat('100%% %DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT% %DOWNSTREAM_REMOTE_ADDRESS% %RESPONSE_CODE_DETAILS%', noRefusal).format(ctx, '-'))
      .toBe('100% 192.0.2.1 192.0.2.1:5555 via_upstream');
  });

  it('uses the missing placeholder given by the caller', () => {
    expect(parseFormat('[%REQ(X-NONE)%]', noRefusal).format(ctx, '')).toBe('[]');
  });

  it('refuses an unknown command operator naming it', () => {
    const refusals: string[] = [];
    parseFormat('%UPSTREAM_TRANSPORT_FAILURE_REASON% %REQ(A)%', (m) => refusals.push(m));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toContain('command operator %UPSTREAM_TRANSPORT_FAILURE_REASON% not supported');
  });

  it('refuses a percent sign that starts no valid command', () => {
    const refusals: string[] = [];
    parseFormat('50% off', (m) => refusals.push(m));
    expect(refusals).toEqual(['no valid command operator at "% off"']);
  });

  it('renders START_TIME with a strftime format in UTC', () => {
    expect(parseFormat('%START_TIME(%Y/%m/%dT%H:%M:%E3S%z)% %START_TIME(%s.%3f)%', noRefusal).format(ctx, '-')).toBe('2024/01/02T03:04:05.678+0000 1704164645.678');
  });

  it('refuses an unsupported START_TIME specifier, naming it', () => {
    const refusals: string[] = [];
    parseFormat('%START_TIME(%a %b)%', (m) => refusals.push(m));
    expect(refusals).toEqual(['START_TIME specifier %a not supported by the emulated data plane', 'START_TIME specifier %b not supported by the emulated data plane']);
  });
});
