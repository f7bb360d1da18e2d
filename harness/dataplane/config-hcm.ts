/** Reads `http_connection_manager`, its route_config and its http_filters into the emulator's model. */
import { readAccessLog, type AccessLogConfig } from './access-log.ts';
import type { Fields } from './fields.ts';
import { isObject } from './fields.ts';
import type { HcmConfig, Http2Settings, WasmFilterConfig } from './config-types.ts';
import { readRouteConfig } from './config-route.ts';
import { NO_HEADER_CHANGES } from './header-mutation.ts';

export const HCM_TYPE = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
export const WASM_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm';
export const ROUTER_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router';
const STRING_VALUE = 'type.googleapis.com/google.protobuf.StringValue';
const BYTES_VALUE = 'type.googleapis.com/google.protobuf.BytesValue';

export function readHcm(f: Fields): HcmConfig {
  f.only('codec_type', ['AUTO', 'HTTP1', 'HTTP2']);
  const hcm: HcmConfig = {
    statPrefix: f.string('stat_prefix'),
    codec: (f.value.codec_type as HcmConfig['codec'] | undefined) ?? 'AUTO',
    http2: readHttp2Options(f.message('http2_protocol_options')),
    routeConfig: { name: '', virtualHosts: [], headers: NO_HEADER_CHANGES, mostSpecificHeaderMutationsWins: false, maxDirectResponseBodyBytes: 4096, validateClusters: true },
    filters: [],
    accessLogs: f.messages('access_log').map(readAccessLog).filter((c): c is AccessLogConfig => c !== undefined),
    generateRequestId: f.bool('generate_request_id', true),
    preserveExternalRequestId: f.bool('preserve_external_request_id', false),
    useRemoteAddress: f.bool('use_remote_address', false),
    xffNumTrustedHops: f.number('xff_num_trusted_hops', 0),
    skipXffAppend: f.bool('skip_xff_append', false),
    normalizePath: f.bool('normalize_path', false),
    mergeSlashes: f.bool('merge_slashes', false),
    serverName: f.string('server_name', 'envoy'),
  };
  const routeConfig = f.message('route_config');
  if (!routeConfig) f.refusals.unsupported(f.at('route_config'), 'required by the emulated data plane (rds is not supported)');
  else hcm.routeConfig = readRouteConfig(routeConfig);
  const filters = f.messages('http_filters');
  filters.forEach((filter, i) => {
    const typed = filter.message('typed_config');
    const type = typed?.value['@type'];
    const name = filter.string('name');
    const last = i === filters.length - 1;
    if (type === ROUTER_TYPE) {
      if (!last) f.refusals.unsupported(filter.path, 'the router filter must be the last http filter');
      typed?.done();
    } else if (type === WASM_TYPE && typed) {
      if (last) f.refusals.unsupported(filter.path, 'the last http filter must be envoy.filters.http.router');
      const config = typed.message('config');
      if (!config) f.refusals.unsupported(typed.at('config'), 'required');
      else hcm.filters.push(readPluginConfig(config, name));
      typed.done();
    } else {
      f.refusals.unsupported(filter.at('typed_config'), `filter type ${JSON.stringify(type)} not supported by the emulated data plane (only envoy.filters.http.wasm and envoy.filters.http.router)`);
      filter.take('typed_config');
    }
    filter.done();
  });
  if (filters.length === 0 || filters.at(-1)?.value.typed_config === undefined || (filters.at(-1)!.value.typed_config as Record<string, unknown>)['@type'] !== ROUTER_TYPE)
    f.refusals.unsupported(f.at('http_filters'), 'must end with envoy.filters.http.router');
  f.done();
  return hcm;
}

/** The HTTP/2 options that become SETTINGS; any other field is refused. */
function readHttp2Options(f: Fields | undefined): Http2Settings {
  if (!f) return {};
  const settings: Http2Settings = {};
  if (f.has('max_concurrent_streams')) settings.maxConcurrentStreams = f.number('max_concurrent_streams', 2147483647);
  if (f.has('initial_stream_window_size')) settings.initialWindowSize = f.number('initial_stream_window_size', 268435456);
  if (f.has('initial_connection_window_size')) settings.initialConnectionWindowSize = f.number('initial_connection_window_size', 268435456);
  if (f.has('hpack_table_size')) settings.headerTableSize = f.number('hpack_table_size', 4096);
  f.done();
  return settings;
}

function readPluginConfig(f: Fields, filterName: string): WasmFilterConfig {
  const config: WasmFilterConfig = {
    filterName,
    pluginName: f.string('name'),
    rootId: f.string('root_id'),
    vmId: '',
    runtime: 'envoy.wasm.runtime.v8',
    codeFilename: '',
    environment: {},
    failOpen: f.bool('fail_open', false),
  };
  config.configuration = readAnyBytes(f, 'configuration');
  const vm = f.message('vm_config');
  if (!vm) f.refusals.unsupported(f.at('vm_config'), 'required by the emulated data plane');
  else {
    config.vmId = vm.string('vm_id');
    config.runtime = vm.string('runtime', config.runtime);
    if (!config.runtime.startsWith('envoy.wasm.runtime.')) vm.refusals.unsupported(vm.at('runtime'), `unknown runtime ${JSON.stringify(config.runtime)}`);
    config.vmConfiguration = readAnyBytes(vm, 'configuration');
    const code = vm.message('code');
    const local = code?.message('local');
    if (!local || !local.has('filename')) vm.refusals.unsupported(vm.at('code'), 'only code.local.filename is supported by the emulated data plane');
    else config.codeFilename = local.string('filename');
    local?.done();
    code?.done();
    const env = vm.message('environment_variables');
    if (env) {
      for (const key of env.strings('host_env_keys')) if (process.env[key] !== undefined) config.environment[key] = process.env[key]!;
      const kv = env.take('key_values');
      if (isObject(kv)) for (const [k, v] of Object.entries(kv)) config.environment[k] = String(v);
      env.done();
    }
    vm.done();
  }
  f.done();
  return config;
}

/** Plugin/VM configuration `Any`: StringValue → its text, BytesValue → bytes (reference §6.2). */
function readAnyBytes(f: Fields, key: string): string | Uint8Array | undefined {
  const any = f.message(key);
  if (!any) return undefined;
  const type = any.value['@type'];
  const value = any.take('value');
  any.done();
  if (type === STRING_VALUE) return typeof value === 'string' ? value : '';
  if (type === BYTES_VALUE) return Buffer.from(typeof value === 'string' ? value : '', 'base64');
  f.refusals.unsupported(`${f.at(key)}.@type`, `${JSON.stringify(type)} not supported by the emulated data plane (use google.protobuf.StringValue)`);
  return undefined;
}
