/** Reads `http_connection_manager`, its route_config and its http_filters into the emulator's model. */
import type { Fields } from './fields.ts';
import { durationMs, isObject } from './fields.ts';
import {
  DEFAULT_ROUTE_TIMEOUT_MS,
  type HcmConfig, type HeaderMatcher, type PathMatch, type Route, type RouteAction, type StringMatcher, type VirtualHost, type WasmFilterConfig,
} from './config-types.ts';

export const HCM_TYPE = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
export const WASM_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm';
export const ROUTER_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router';
const STRING_VALUE = 'type.googleapis.com/google.protobuf.StringValue';
const BYTES_VALUE = 'type.googleapis.com/google.protobuf.BytesValue';

export function readHcm(f: Fields): HcmConfig {
  f.only('codec_type', ['AUTO', 'HTTP1']);
  const hcm: HcmConfig = {
    statPrefix: f.string('stat_prefix'),
    routeConfig: { name: '', virtualHosts: [] },
    filters: [],
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
  else {
    hcm.routeConfig = { name: routeConfig.string('name'), virtualHosts: routeConfig.messages('virtual_hosts').map(readVirtualHost) };
    routeConfig.done();
  }
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

function readVirtualHost(f: Fields): VirtualHost {
  const vh = { name: f.string('name'), domains: f.strings('domains'), routes: f.messages('routes').map(readRoute) };
  f.done();
  return vh;
}

function readRoute(f: Fields): Route {
  const name = f.string('name');
  const match = f.message('match');
  let path: PathMatch = { kind: 'prefix', value: '/' };
  let caseSensitive = true;
  let headers: HeaderMatcher[] = [];
  if (match) {
    if (match.has('prefix')) path = { kind: 'prefix', value: match.string('prefix') };
    else if (match.has('path')) path = { kind: 'path', value: match.string('path') };
    else if (match.has('safe_regex')) path = { kind: 'regex', regex: readRegex(match.message('safe_regex')!, true) };
    else match.refusals.unsupported(match.path, 'needs prefix, path or safe_regex in the emulated data plane');
    caseSensitive = match.bool('case_sensitive', true);
    headers = match.messages('headers').map(readHeaderMatcher);
    match.done();
  }
  let action: RouteAction = { kind: 'direct', status: 404, body: '' };
  const route = f.message('route');
  const direct = f.message('direct_response');
  if (route) action = readRouteAction(route);
  else if (direct) {
    const body = direct.message('body');
    action = { kind: 'direct', status: direct.number('status', 200), body: body ? body.string('inline_string') : '' };
    body?.done();
    direct.done();
  } else f.refusals.unsupported(f.path, 'needs route or direct_response in the emulated data plane');
  f.done();
  return { name, match: { path, caseSensitive, headers }, action };
}

function readRouteAction(f: Fields): RouteAction {
  const timeoutMs = durationMs(f.take('timeout'), DEFAULT_ROUTE_TIMEOUT_MS);
  let action: RouteAction;
  if (f.has('cluster')) action = { kind: 'cluster', cluster: f.string('cluster'), timeoutMs };
  else if (f.has('weighted_clusters')) {
    const w = f.message('weighted_clusters')!;
    const clusters = w.messages('clusters').map((c) => {
      const entry = { name: c.string('name'), weight: c.number('weight', 0) };
      c.done();
      return entry;
    });
    w.take('total_weight');
    w.done();
    action = { kind: 'weighted', clusters, timeoutMs };
  } else {
    f.refusals.unsupported(f.path, 'needs cluster or weighted_clusters in the emulated data plane');
    action = { kind: 'cluster', cluster: '', timeoutMs };
  }
  f.done();
  return action;
}

function readHeaderMatcher(f: Fields): HeaderMatcher {
  const m: HeaderMatcher = { name: f.string('name').toLowerCase(), invert: f.bool('invert_match', false), treatMissingAsEmpty: f.bool('treat_missing_header_as_empty', false) };
  const legacy: Record<string, 'exact' | 'prefix' | 'suffix' | 'contains'> = { exact_match: 'exact', prefix_match: 'prefix', suffix_match: 'suffix', contains_match: 'contains' };
  for (const [key, kind] of Object.entries(legacy)) if (f.has(key)) m.string = { kind, value: f.string(key), ignoreCase: false };
  if (f.has('safe_regex_match')) m.string = { kind: 'regex', regex: readRegex(f.message('safe_regex_match')!, true) };
  if (f.has('present_match')) m.present = f.bool('present_match', true);
  if (f.has('string_match')) m.string = readStringMatcher(f.message('string_match')!);
  if (!m.string && m.present === undefined) m.present = true; // Envoy: no match specifier = header must be present
  f.done();
  return m;
}

function readStringMatcher(f: Fields): StringMatcher {
  const ignoreCase = f.bool('ignore_case', false);
  let matcher: StringMatcher = { kind: 'exact', value: '', ignoreCase };
  for (const kind of ['exact', 'prefix', 'suffix', 'contains'] as const) if (f.has(kind)) matcher = { kind, value: f.string(kind), ignoreCase };
  if (f.has('safe_regex')) matcher = { kind: 'regex', regex: readRegex(f.message('safe_regex')!, !ignoreCase, ignoreCase) };
  f.done();
  return matcher;
}

/** RE2 `RegexMatcher` → JS RegExp with full-match semantics (Envoy's safe_regex matches the whole value). */
function readRegex(f: Fields, _caseSensitive: boolean, ignoreCase = false): RegExp {
  const engine = f.message('google_re2');
  engine?.done();
  const source = f.string('regex');
  f.done();
  try {
    return new RegExp(`^(?:${source})$`, ignoreCase ? 'i' : '');
  } catch (error) {
    f.refusals.unsupported(f.at('regex'), `regex ${JSON.stringify(source)} is not valid here: ${(error as Error).message}`);
    return /$^/;
  }
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
