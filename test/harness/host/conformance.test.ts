/**
 * ABI 0.2.1 conformance: an AssemblyScript module calls every hostcall directly (no SDK) and logs each status;
 * the expectations below are Envoy's statuses from the reference (§2–§5).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PROXY_HOSTCALLS_0_2_1 } from '../../../harness/host/abi/offered.ts';
import { WasmResult as R } from '../../../harness/host/status.ts';
import { createTestHost, type TestEnv } from '../../../harness/testing/index.ts';
import { compileTestModule, parseReport } from './helpers/as-module.ts';

const ROOT_EXPECTED: Record<string, number> = {
  'proxy_log level 6': R.BadArgument,
  'proxy_log bad pointer': R.InvalidMemoryAccess,
  'proxy_get_log_level': R.Ok,
  'proxy_get_current_time_nanoseconds': R.Ok,
  'proxy_get_current_time_nanoseconds bad pointer': R.InvalidMemoryAccess,
  'proxy_get_status': R.Ok,
  'proxy_set_effective_context unknown': R.BadArgument,
  'proxy_set_effective_context root': R.Ok,
  'proxy_done not waiting': R.NotFound,
  'proxy_set_tick_period_milliseconds': R.Ok,
  'proxy_get_buffer_bytes plugin configuration': R.Ok,
  'proxy_get_buffer_bytes vm configuration': R.Ok,
  'proxy_get_buffer_bytes range clamped': R.Ok,
  'proxy_get_buffer_bytes type 9': R.BadArgument,
  'proxy_get_buffer_bytes http call body outside callback': R.NotFound,
  'proxy_get_buffer_bytes bad out pointer': R.InvalidMemoryAccess,
  'proxy_get_buffer_status plugin configuration': R.Ok,
  'proxy_get_buffer_status type 9': R.BadArgument,
  'proxy_set_buffer_bytes plugin configuration': R.BadArgument,
  'proxy_set_buffer_bytes type 9': R.BadArgument,
  'proxy_get_property plugin_name': R.Ok,
  'proxy_get_property plugin_root_id': R.Ok,
  'proxy_get_property dotted path': R.NotFound,
  'proxy_get_property request path on root': R.NotFound,
  'proxy_get_property bad pointer': R.InvalidMemoryAccess,
  'proxy_set_property on root': R.NotFound,
  'proxy_get_header_map_value root request headers': R.BadArgument,
  'proxy_get_header_map_value map 8': R.BadArgument,
  'proxy_get_header_map_pairs root request headers': R.Ok,
  'proxy_get_header_map_pairs map 8': R.BadArgument,
  'proxy_get_header_map_size root': R.BadArgument,
  'proxy_add_header_map_value root': R.BadArgument,
  'proxy_replace_header_map_value root': R.BadArgument,
  'proxy_remove_header_map_value root': R.BadArgument,
  'proxy_set_header_map_pairs root': R.BadArgument,
  'proxy_add_header_map_value map 8': R.BadArgument,
  'proxy_continue_stream type 4': R.BadArgument,
  'proxy_continue_stream upstream': R.Unimplemented,
  'proxy_close_stream type 4': R.BadArgument,
  'proxy_get_shared_data missing': R.NotFound,
  'proxy_set_shared_data cas 0': R.Ok,
  'proxy_get_shared_data present': R.Ok,
  'proxy_set_shared_data cas mismatch': R.CasMismatch,
  'proxy_set_shared_data cas match': R.Ok,
  'proxy_set_shared_data bad pointer': R.InvalidMemoryAccess,
  'proxy_resolve_shared_queue unknown': R.NotFound,
  'proxy_register_shared_queue': R.Ok,
  'proxy_resolve_shared_queue own vm': R.Ok,
  'proxy_dequeue_shared_queue empty': R.Empty,
  'proxy_enqueue_shared_queue': R.Ok,
  'proxy_dequeue_shared_queue item': R.Ok,
  'proxy_enqueue_shared_queue unknown token': R.NotFound,
  'proxy_dequeue_shared_queue unknown token': R.NotFound,
  'proxy_define_metric type 3': R.BadArgument,
  'proxy_define_metric counter': R.Ok,
  'proxy_define_metric histogram': R.Ok,
  'proxy_increment_metric counter 0': R.BadArgument,
  'proxy_increment_metric counter -1': R.BadArgument,
  'proxy_increment_metric counter 2': R.Ok,
  'proxy_record_metric counter 3': R.Ok,
  'proxy_get_metric counter': R.Ok,
  'proxy_increment_metric histogram': R.BadArgument,
  'proxy_record_metric histogram': R.Ok,
  'proxy_get_metric histogram': R.BadArgument,
  'proxy_get_metric unknown': R.NotFound,
  'proxy_record_metric unknown': R.NotFound,
  'proxy_call_foreign_function unknown': R.NotFound,
  'proxy_call_foreign_function compress': R.Ok,
  'proxy_call_foreign_function uncompress': R.Ok,
  'proxy_call_foreign_function uncompress garbage': R.SerializationFailure,
  'proxy_call_foreign_function clear_route_cache on 0.2.1': R.NotFound,
  'proxy_http_call unknown cluster': R.BadArgument,
  'proxy_http_call missing :path': R.BadArgument,
  'proxy_http_call negative timeout': R.BadArgument,
  'proxy_http_call bad token pointer': R.InvalidMemoryAccess,
  'proxy_http_call': R.Ok,
  'proxy_grpc_call unknown cluster': R.ParseFailure,
  'proxy_grpc_stream unknown cluster': R.ParseFailure,
  'proxy_grpc_send not a stream token': R.BadArgument,
  'proxy_grpc_send unknown stream': R.NotFound,
  'proxy_grpc_cancel unknown call': R.NotFound,
  'proxy_grpc_close not a grpc token': R.BadArgument,
};

const HTTP_CALL_EXPECTED: Record<string, number> = {
  'proxy_get_header_map_value http call :status': R.Ok,
  'proxy_get_buffer_bytes http call body': R.Ok,
  'proxy_get_header_map_pairs http call trailers': R.Ok,
  'proxy_add_header_map_value http call headers': R.BadArgument,
  'proxy_get_status after http call': R.Ok,
};

const STREAM_EXPECTED: Record<string, number> = {
  'proxy_get_header_map_value present': R.Ok,
  'proxy_get_header_map_value absent': R.NotFound,
  'proxy_get_header_map_value request trailers': R.BadArgument,
  'proxy_get_header_map_value bad key pointer': R.InvalidMemoryAccess,
  'proxy_add_header_map_value inline': R.Ok,
  'proxy_add_header_map_value inline again': R.Ok,
  'proxy_get_header_map_value merged': R.Ok,
  'proxy_add_header_map_value custom': R.Ok,
  'proxy_add_header_map_value custom again': R.Ok,
  'proxy_get_header_map_value first of repeated': R.Ok,
  'proxy_replace_header_map_value': R.Ok,
  'proxy_remove_header_map_value': R.Ok,
  'proxy_remove_header_map_value absent': R.Ok,
  'proxy_get_header_map_size': R.Ok,
  'proxy_get_header_map_pairs': R.Ok,
  'proxy_set_header_map_pairs malformed': R.BadArgument,
  'proxy_get_header_map_size response headers': R.BadArgument,
  'proxy_get_property request path': R.Ok,
  'proxy_get_property source address': R.Ok,
  'proxy_get_property trailing nul': R.Ok,
  'proxy_get_property request header': R.Ok,
  'proxy_get_property unknown': R.NotFound,
  'proxy_set_property': R.Ok,
  'proxy_get_property after set': R.Ok,
  'proxy_get_buffer_bytes request body outside callback': R.Ok,
  'proxy_set_buffer_bytes request body outside callback': R.NotFound,
  'proxy_set_effective_context own': R.Ok,
  'proxy_continue_stream type 4': R.BadArgument,
  'proxy_close_stream type 4': R.BadArgument,
  'proxy_continue_stream upstream': R.Unimplemented,
  // request body (end_of_stream)
  'proxy_get_buffer_status request body': R.Ok,
  'proxy_get_buffer_bytes request body': R.Ok,
  'proxy_set_buffer_bytes prepend': R.Ok,
  'proxy_set_buffer_bytes append': R.Ok,
  'proxy_set_buffer_bytes middle': R.BadArgument,
  'proxy_get_buffer_bytes start beyond end': R.Ok,
  'proxy_add_header_map_value request trailers on last chunk': R.Ok,
  // response headers
  'proxy_get_header_map_value request headers in response': R.BadArgument,
  'proxy_get_header_map_pairs request headers in response': R.Ok,
  'proxy_get_property request path in response': R.NotFound,
  'proxy_get_header_map_value response status': R.Ok,
  'proxy_replace_header_map_value response': R.Ok,
  // log phase
  'proxy_get_header_map_value log request headers': R.Ok,
  'proxy_get_header_map_value log request trailers': R.NotFound,
  'proxy_add_header_map_value log phase': R.BadArgument,
  'proxy_get_property response code in log': R.Ok,
};

const LOCAL_REPLY_EXPECTED: Record<string, number> = {
  'proxy_send_local_response bad body pointer': R.InvalidMemoryAccess,
  'proxy_send_local_response': R.Ok,
};

/** Hostcalls whose statuses this file checks (by label prefix). */
function covered(): Set<string> {
  const all = { ...ROOT_EXPECTED, ...HTTP_CALL_EXPECTED, ...STREAM_EXPECTED, ...LOCAL_REPLY_EXPECTED };
  return new Set(Object.keys(all).map((label) => label.split(' ')[0]!));
}

function pick(checks: Map<string, number>, expected: Record<string, number>): Record<string, number | undefined> {
  return Object.fromEntries(Object.keys(expected).map((k) => [k, checks.get(k)]));
}

describe('ABI 0.2.1 conformance (AssemblyScript module calling hostcalls directly)', () => {
  let wasm: Uint8Array;
  let env: TestEnv;

  beforeAll(async () => {
    wasm = await compileTestModule('test/harness/host/assembly/conformance.ts');
  });

  async function start(): Promise<TestEnv> {
    return createTestHost({
      wasm, name: 'conf', rootId: 'conf', vmId: 'conf-vm', configuration: '{"a":1}', vmConfiguration: 'vmcfg',
      clusters: ['known'], canary: false,
    });
  }

  it('returns Envoy statuses to root-context hostcalls during on_configure', async () => {
    env = await start();
    const { checks, values } = parseReport(env.logs('info'));
    expect(pick(checks, ROOT_EXPECTED)).toEqual(ROOT_EXPECTED);
    expect(values.get('log_level')).toBe('0');
    expect(values.get('time_ms')).toBe(String(env.clock.now()));
    expect(values.get('plugin_configuration')).toBe('{"a":1}');
    expect(values.get('vm_configuration')).toBe('vmcfg');
    expect(values.get('plugin_configuration_2_3')).toBe('a":');
    expect(values.get('plugin_configuration_size')).toBe('7');
    expect(values.get('plugin_name')).toBe('conf');
    expect(values.get('plugin_root_id')).toBe('conf');
    expect(values.get('root_pairs_len')).toBe('0');
    expect(values.get('shared_value')).toBe('one');
    expect(values.get('queue_item')).toBe('one');
    expect(values.get('queue_ready')).toBe('1');
    expect(values.get('counter_id')).toBe('4');
    expect(values.get('histogram_id')).toBe('6');
    expect(values.get('counter')).toBe('5');
    expect(values.get('uncompressed')).toBe('hello hello hello hello');
    expect(values.get('http_call_token')).toBe('4');
    expect(env.counter('wasmcustom.conformance.requests')).toBe(5);
    expect(env.histogram('conformance.latency')).toEqual([42]);
  });

  it('delivers the http call response on the root context with maps 6/7 and buffer 4', async () => {
    env = await start();
    const [call] = env.httpCalls();
    expect(call).toMatchObject({ cluster: 'known', headers: { ':method': 'GET', ':path': '/x', ':authority': 'svc' }, timeoutMs: 1000 });
    call!.respond({ headers: { ':status': '200', 'x-a': 'b' }, body: 'pong', trailers: { 'x-t': '1' } });
    const { checks, values } = parseReport(env.logs('info'));
    expect(pick(checks, HTTP_CALL_EXPECTED)).toEqual(HTTP_CALL_EXPECTED);
    expect(values.get('http_call_response')).toBe('4 2 4 1');
    expect(values.get('http_call_status')).toBe('200');
    expect(values.get('http_call_body')).toBe('pong');
    expect(values.get('status_code')).toBe('0');
  });

  it('reports a reset http call as (0, 0, 0) with proxy_get_status 11 "reset"', async () => {
    env = await start();
    env.httpCalls()[0]!.fail('reset');
    const { values } = parseReport(env.logs('info'));
    expect(values.get('http_call_response')).toBe('4 0 0 0');
    expect(values.get('status_code')).toBe('11');
    expect(values.get('status_message')).toBe('reset');
  });

  it('answers an http call timeout with the async client 504 as a normal response', async () => {
    env = await start();
    env.clock.advance(1000);
    const { values } = parseReport(env.logs('info'));
    expect(values.get('http_call_response')).toBe('4 3 24 0');
    expect(values.get('http_call_status')).toBe('504');
    expect(values.get('http_call_body')).toBe('upstream request timeout');
    expect(env.httpCalls()).toEqual([]);
  });

  it('returns Envoy statuses to stream hostcalls in each phase', async () => {
    env = await start();
    const s = env.openStream({ sourceAddress: '10.0.0.1:5555' });
    s.sendRequestHeaders([[':method', 'GET'], [':path', '/p?q=1'], [':authority', 'h'], ['x-test', 'yes'], ['x-remove-me', 'z'], ['user-agent', 'curl']]);
    s.sendRequestBody('abc', { endStream: true });
    s.sendResponseHeaders({ ':status': '200' }, { endStream: true });
    s.complete();
    const { checks, values } = parseReport(env.logs('info'));
    expect(pick(checks, STREAM_EXPECTED)).toEqual(STREAM_EXPECTED);
    expect(values.get('request_headers_count')).toBe('6 eos 0');
    expect(values.get('x-test')).toBe('yes');
    expect(values.get('user-agent')).toBe('curl,a,b');
    expect(values.get('x-added')).toBe('a');
    expect(values.get('request.path')).toBe('/p?q=1');
    expect(values.get('source.address')).toBe('10.0.0.1:5555');
    expect(values.get('request.method')).toBe('GET');
    expect(values.get('request.headers.x-test')).toBe('yes');
    expect(values.get('my_prop')).toBe('stored');
    expect(values.get('body_len_outside')).toBe('0');
    expect(values.get('request_body_size')).toBe('3 eos 1');
    expect(values.get('body_status')).toBe('3 0');
    expect(values.get('body')).toBe('abc');
    expect(values.get('beyond_len')).toBe('0');
    expect(values.get('request_pairs_len_in_response')).toBe('0');
    expect(values.get(':status')).toBe('200');
    expect(values.get('response_code')).toBe('200');
    const upstream = s.upstreamRequest!;
    expect(upstream.headerList).toEqual([
      [':method', 'GET'], [':path', '/p?q=1'], [':authority', 'h'], ['x-test', 'yes'], ['user-agent', 'curl,a,b'],
      ['x-added', 'a'], ['x-added', 'b'], ['x-replaced', 'b'],
    ]);
    expect(values.get('pairs_count')).toBe('8');
    const bytes = upstream.headerList.reduce((n, [k, v]) => n + k.length + v.length, 0);
    expect(values.get('header_bytes')).toBe(String(bytes));
    expect(upstream.routeCacheCleared).toBe(true);
    expect(new TextDecoder().decode(upstream.body)).toBe('<abc>');
    expect(upstream.trailers).toEqual({ 'x-trailer': '<' });
    expect(s.downstreamResponse.headers).toEqual({ ':status': '200', 'x-resp': '1' });
  });

  it('sends a local reply after the callback and runs it through the encoder path', async () => {
    env = await start();
    const s = env.openStream();
    const status = s.sendRequestHeaders({ ':method': 'GET', ':path': '/', ':authority': 'h', 'x-reply': '1', 'x-test': 'yes' }, { endStream: true });
    const { checks } = parseReport(env.logs('info'));
    expect(pick(checks, LOCAL_REPLY_EXPECTED)).toEqual(LOCAL_REPLY_EXPECTED);
    expect(status).toBe(4);
    expect(s.upstreamRequest).toBeNull();
    expect(s.localResponse).toEqual({
      status: 403, body: 'nope', details: 'denied_by_conformance', grpcStatus: null,
      headers: { ':status': '403', 'x-extra': '1', 'content-length': '4', 'content-type': 'text/plain' },
    });
    // The same plugin saw its own local reply in proxy_on_response_headers.
    expect(checks.get('proxy_get_header_map_value response status')).toBe(R.Ok);
    expect(s.downstreamResponse.headers).toEqual({ ':status': '403', 'x-extra': '1', 'content-length': '4', 'content-type': 'text/plain', 'x-resp': '1' });
  });

  it('covers every ABI 0.2.1 hostcall with at least one status check', () => {
    const missing = PROXY_HOSTCALLS_0_2_1.filter((name) => !covered().has(name));
    expect(missing).toEqual([]);
  });
});
