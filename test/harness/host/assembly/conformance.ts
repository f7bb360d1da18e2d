// Conformance module: calls ABI 0.2.1 hostcalls directly (no SDK) and reports each status as
// "CHECK <label> <status>" (and "VALUE <label> <text>") through proxy_log at info level.

@external("env", "proxy_log") declare function proxy_log(level: u32, ptr: usize, len: usize): u32;
@external("env", "proxy_get_log_level") declare function proxy_get_log_level(out: usize): u32;
@external("env", "proxy_get_current_time_nanoseconds") declare function proxy_get_current_time_nanoseconds(out: usize): u32;
@external("env", "proxy_get_status") declare function proxy_get_status(code: usize, ptr: usize, len: usize): u32;
@external("env", "proxy_set_effective_context") declare function proxy_set_effective_context(id: u32): u32;
@external("env", "proxy_done") declare function proxy_done(): u32;
@external("env", "proxy_call_foreign_function") declare function proxy_call_foreign_function(n: usize, nl: usize, a: usize, al: usize, rp: usize, rl: usize): u32;
@external("env", "proxy_get_property") declare function proxy_get_property(p: usize, pl: usize, rp: usize, rl: usize): u32;
@external("env", "proxy_set_property") declare function proxy_set_property(p: usize, pl: usize, v: usize, vl: usize): u32;
@external("env", "proxy_get_header_map_value") declare function proxy_get_header_map_value(t: u32, k: usize, kl: usize, rp: usize, rl: usize): u32;
@external("env", "proxy_get_header_map_pairs") declare function proxy_get_header_map_pairs(t: u32, rp: usize, rl: usize): u32;
@external("env", "proxy_set_header_map_pairs") declare function proxy_set_header_map_pairs(t: u32, p: usize, l: usize): u32;
@external("env", "proxy_add_header_map_value") declare function proxy_add_header_map_value(t: u32, k: usize, kl: usize, v: usize, vl: usize): u32;
@external("env", "proxy_replace_header_map_value") declare function proxy_replace_header_map_value(t: u32, k: usize, kl: usize, v: usize, vl: usize): u32;
@external("env", "proxy_remove_header_map_value") declare function proxy_remove_header_map_value(t: u32, k: usize, kl: usize): u32;
@external("env", "proxy_get_header_map_size") declare function proxy_get_header_map_size(t: u32, out: usize): u32;
@external("env", "proxy_get_buffer_bytes") declare function proxy_get_buffer_bytes(t: u32, s: u32, m: u32, rp: usize, rl: usize): u32;
@external("env", "proxy_get_buffer_status") declare function proxy_get_buffer_status(t: u32, len: usize, flags: usize): u32;
@external("env", "proxy_set_buffer_bytes") declare function proxy_set_buffer_bytes(t: u32, s: u32, l: u32, d: usize, dl: usize): u32;
@external("env", "proxy_continue_stream") declare function proxy_continue_stream(t: u32): u32;
@external("env", "proxy_close_stream") declare function proxy_close_stream(t: u32): u32;
@external("env", "proxy_send_local_response") declare function proxy_send_local_response(s: u32, d: usize, dl: usize, b: usize, bl: usize, h: usize, hl: usize, g: i32): u32;
@external("env", "proxy_http_call") declare function proxy_http_call(c: usize, cl: usize, h: usize, hl: usize, b: usize, bl: usize, t: usize, tl: usize, timeout: u32, token: usize): u32;
@external("env", "proxy_grpc_call") declare function proxy_grpc_call(s: usize, sl: usize, sn: usize, snl: usize, m: usize, ml: usize, md: usize, mdl: usize, msg: usize, msgl: usize, timeout: u32, token: usize): u32;
@external("env", "proxy_grpc_stream") declare function proxy_grpc_stream(s: usize, sl: usize, sn: usize, snl: usize, m: usize, ml: usize, md: usize, mdl: usize, token: usize): u32;
@external("env", "proxy_grpc_send") declare function proxy_grpc_send(token: u32, m: usize, ml: usize, end: u32): u32;
@external("env", "proxy_grpc_cancel") declare function proxy_grpc_cancel(token: u32): u32;
@external("env", "proxy_grpc_close") declare function proxy_grpc_close(token: u32): u32;
@external("env", "proxy_get_shared_data") declare function proxy_get_shared_data(k: usize, kl: usize, rp: usize, rl: usize, cas: usize): u32;
@external("env", "proxy_set_shared_data") declare function proxy_set_shared_data(k: usize, kl: usize, v: usize, vl: usize, cas: u32): u32;
@external("env", "proxy_register_shared_queue") declare function proxy_register_shared_queue(n: usize, nl: usize, token: usize): u32;
@external("env", "proxy_resolve_shared_queue") declare function proxy_resolve_shared_queue(v: usize, vl: usize, n: usize, nl: usize, token: usize): u32;
@external("env", "proxy_enqueue_shared_queue") declare function proxy_enqueue_shared_queue(token: u32, v: usize, vl: usize): u32;
@external("env", "proxy_dequeue_shared_queue") declare function proxy_dequeue_shared_queue(token: u32, rp: usize, rl: usize): u32;
@external("env", "proxy_define_metric") declare function proxy_define_metric(t: u32, n: usize, nl: usize, id: usize): u32;
@external("env", "proxy_increment_metric") declare function proxy_increment_metric(id: u32, delta: i64): u32;
@external("env", "proxy_record_metric") declare function proxy_record_metric(id: u32, value: u64): u32;
@external("env", "proxy_get_metric") declare function proxy_get_metric(id: u32, out: usize): u32;
@external("env", "proxy_set_tick_period_milliseconds") declare function proxy_set_tick_period_milliseconds(ms: u32): u32;

export function myAbort(message: string | null, file: string | null, line: u32, column: u32): void {
  unreachable();
}

export function proxy_abi_version_0_2_1(): void {}

export function malloc(size: usize): usize {
  return __alloc(size);
}

const BAD: usize = 0xFFFFFFF0;
let SLOT: usize = 0;

function slot(): usize {
  if (SLOT == 0) SLOT = __alloc(64);
  return SLOT;
}

function buf(s: string): ArrayBuffer {
  return String.UTF8.encode(s);
}

function ptr(b: ArrayBuffer): usize {
  return changetype<usize>(b);
}

function say(text: string): void {
  const m = buf(text);
  proxy_log(2, ptr(m), m.byteLength);
}

function check(label: string, status: u32): void {
  say("CHECK " + label + " " + status.toString());
}

function value(label: string): void {
  const p = load<u32>(slot());
  const l = load<u32>(slot() + 4);
  say("VALUE " + label + " " + (l == 0 ? "" : String.UTF8.decodeUnsafe(p, l)));
}

function pairs(keys: string[], values: string[]): ArrayBuffer {
  let size = 4;
  const kb = new Array<ArrayBuffer>();
  const vb = new Array<ArrayBuffer>();
  for (let i = 0; i < keys.length; i++) {
    kb.push(buf(keys[i]));
    vb.push(buf(values[i]));
    size += 8 + kb[i].byteLength + vb[i].byteLength + 2;
  }
  const out = new ArrayBuffer(size);
  const base = ptr(out);
  store<u32>(base, keys.length);
  let p = base + 4 + 8 * keys.length;
  for (let i = 0; i < keys.length; i++) {
    store<u32>(base + 4 + 8 * i, kb[i].byteLength);
    store<u32>(base + 8 + 8 * i, vb[i].byteLength);
    memory.copy(p, ptr(kb[i]), kb[i].byteLength);
    p += kb[i].byteLength + 1;
    memory.copy(p, ptr(vb[i]), vb[i].byteLength);
    p += vb[i].byteLength + 1;
  }
  return out;
}

function getHeader(label: string, map: u32, key: string): void {
  const k = buf(key);
  check(label, proxy_get_header_map_value(map, ptr(k), k.byteLength, slot(), slot() + 4));
}

function getProperty(label: string, path: string): u32 {
  const p = buf(path);
  const s = proxy_get_property(ptr(p), p.byteLength, slot(), slot() + 4);
  check(label, s);
  return s;
}

let ROOT_ID: u32 = 0;
let COUNTER: u32 = 0;
let HISTOGRAM: u32 = 0;
let QUEUE: u32 = 0;

export function proxy_on_context_create(id: u32, parent: u32): void {
  if (parent == 0) ROOT_ID = id;
}

export function proxy_on_vm_start(root: u32, size: u32): bool {
  return true;
}

export function proxy_on_configure(root: u32, size: u32): bool {
  // logging, time, status
  const m = buf("x");
  check("proxy_log level 6", proxy_log(6, ptr(m), 1));
  check("proxy_log bad pointer", proxy_log(2, BAD, 64));
  check("proxy_get_log_level", proxy_get_log_level(slot()));
  say("VALUE log_level " + load<u32>(slot()).toString());
  check("proxy_get_current_time_nanoseconds", proxy_get_current_time_nanoseconds(slot()));
  say("VALUE time_ms " + (load<u64>(slot()) / 1000000).toString());
  check("proxy_get_current_time_nanoseconds bad pointer", proxy_get_current_time_nanoseconds(BAD));
  check("proxy_get_status", proxy_get_status(slot() + 8, slot(), slot() + 4));
  check("proxy_set_effective_context unknown", proxy_set_effective_context(999));
  check("proxy_set_effective_context root", proxy_set_effective_context(root));
  check("proxy_done not waiting", proxy_done());
  check("proxy_set_tick_period_milliseconds", proxy_set_tick_period_milliseconds(0));

  // buffers
  check("proxy_get_buffer_bytes plugin configuration", proxy_get_buffer_bytes(7, 0, 0xFFFFFFFF, slot(), slot() + 4));
  value("plugin_configuration");
  check("proxy_get_buffer_bytes vm configuration", proxy_get_buffer_bytes(6, 0, 0xFFFFFFFF, slot(), slot() + 4));
  value("vm_configuration");
  check("proxy_get_buffer_bytes range clamped", proxy_get_buffer_bytes(7, 2, 3, slot(), slot() + 4));
  value("plugin_configuration_2_3");
  check("proxy_get_buffer_bytes type 9", proxy_get_buffer_bytes(9, 0, 10, slot(), slot() + 4));
  check("proxy_get_buffer_bytes http call body outside callback", proxy_get_buffer_bytes(4, 0, 10, slot(), slot() + 4));
  check("proxy_get_buffer_bytes bad out pointer", proxy_get_buffer_bytes(7, 0, 10, BAD, BAD));
  check("proxy_get_buffer_status plugin configuration", proxy_get_buffer_status(7, slot() + 8, slot() + 12));
  say("VALUE plugin_configuration_size " + load<u32>(slot() + 8).toString());
  check("proxy_get_buffer_status type 9", proxy_get_buffer_status(9, slot(), slot() + 4));
  const d = buf("zz");
  check("proxy_set_buffer_bytes plugin configuration", proxy_set_buffer_bytes(7, 0, 0, ptr(d), 2));
  check("proxy_set_buffer_bytes type 9", proxy_set_buffer_bytes(9, 0, 0, ptr(d), 2));

  // properties
  getProperty("proxy_get_property plugin_name", "plugin_name");
  value("plugin_name");
  getProperty("proxy_get_property plugin_root_id", "plugin_root_id");
  value("plugin_root_id");
  getProperty("proxy_get_property dotted path", "plugin.name");
  getProperty("proxy_get_property request path on root", "request\0path");
  check("proxy_get_property bad pointer", proxy_get_property(BAD, 32, slot(), slot() + 4));
  const pv = buf("v");
  const pk = buf("my_prop");
  check("proxy_set_property on root", proxy_set_property(ptr(pk), pk.byteLength, ptr(pv), 1));

  // header maps from the root context
  getHeader("proxy_get_header_map_value root request headers", 0, "x");
  getHeader("proxy_get_header_map_value map 8", 8, "x");
  check("proxy_get_header_map_pairs root request headers", proxy_get_header_map_pairs(0, slot(), slot() + 4));
  say("VALUE root_pairs_len " + load<u32>(slot() + 4).toString());
  check("proxy_get_header_map_pairs map 8", proxy_get_header_map_pairs(8, slot(), slot() + 4));
  check("proxy_get_header_map_size root", proxy_get_header_map_size(0, slot()));
  const k = buf("x");
  check("proxy_add_header_map_value root", proxy_add_header_map_value(0, ptr(k), 1, ptr(k), 1));
  check("proxy_replace_header_map_value root", proxy_replace_header_map_value(0, ptr(k), 1, ptr(k), 1));
  check("proxy_remove_header_map_value root", proxy_remove_header_map_value(0, ptr(k), 1));
  check("proxy_set_header_map_pairs root", proxy_set_header_map_pairs(0, ptr(k), 1));
  check("proxy_add_header_map_value map 8", proxy_add_header_map_value(8, ptr(k), 1, ptr(k), 1));

  // stream control from the root context
  check("proxy_continue_stream type 4", proxy_continue_stream(4));
  check("proxy_continue_stream upstream", proxy_continue_stream(3));
  check("proxy_close_stream type 4", proxy_close_stream(4));

  // shared data
  const sk = buf("conformance-key");
  const sv = buf("one");
  check("proxy_get_shared_data missing", proxy_get_shared_data(ptr(sk), sk.byteLength, slot(), slot() + 4, slot() + 8));
  check("proxy_set_shared_data cas 0", proxy_set_shared_data(ptr(sk), sk.byteLength, ptr(sv), sv.byteLength, 0));
  check("proxy_get_shared_data present", proxy_get_shared_data(ptr(sk), sk.byteLength, slot(), slot() + 4, slot() + 8));
  value("shared_value");
  const cas = load<u32>(slot() + 8);
  check("proxy_set_shared_data cas mismatch", proxy_set_shared_data(ptr(sk), sk.byteLength, ptr(sv), sv.byteLength, cas + 1000));
  check("proxy_set_shared_data cas match", proxy_set_shared_data(ptr(sk), sk.byteLength, ptr(sv), sv.byteLength, cas));
  check("proxy_set_shared_data bad pointer", proxy_set_shared_data(BAD, 64, ptr(sv), 1, 0));

  // queues
  const qn = buf("conformance-queue");
  const empty = buf("");
  check("proxy_resolve_shared_queue unknown", proxy_resolve_shared_queue(ptr(empty), 0, ptr(qn), qn.byteLength, slot()));
  check("proxy_register_shared_queue", proxy_register_shared_queue(ptr(qn), qn.byteLength, slot()));
  QUEUE = load<u32>(slot());
  check("proxy_resolve_shared_queue own vm", proxy_resolve_shared_queue(ptr(empty), 0, ptr(qn), qn.byteLength, slot()));
  check("proxy_dequeue_shared_queue empty", proxy_dequeue_shared_queue(QUEUE, slot(), slot() + 4));
  check("proxy_enqueue_shared_queue", proxy_enqueue_shared_queue(QUEUE, ptr(sv), sv.byteLength));
  check("proxy_dequeue_shared_queue item", proxy_dequeue_shared_queue(QUEUE, slot(), slot() + 4));
  value("queue_item");
  check("proxy_enqueue_shared_queue unknown token", proxy_enqueue_shared_queue(QUEUE + 1000, ptr(sv), 1));
  check("proxy_dequeue_shared_queue unknown token", proxy_dequeue_shared_queue(QUEUE + 1000, slot(), slot() + 4));

  // metrics
  const cn = buf("conformance.requests");
  const hn = buf("conformance.latency");
  check("proxy_define_metric type 3", proxy_define_metric(3, ptr(cn), cn.byteLength, slot()));
  check("proxy_define_metric counter", proxy_define_metric(0, ptr(cn), cn.byteLength, slot()));
  COUNTER = load<u32>(slot());
  say("VALUE counter_id " + COUNTER.toString());
  check("proxy_define_metric histogram", proxy_define_metric(2, ptr(hn), hn.byteLength, slot()));
  HISTOGRAM = load<u32>(slot());
  say("VALUE histogram_id " + HISTOGRAM.toString());
  check("proxy_increment_metric counter 0", proxy_increment_metric(COUNTER, 0));
  check("proxy_increment_metric counter -1", proxy_increment_metric(COUNTER, -1));
  check("proxy_increment_metric counter 2", proxy_increment_metric(COUNTER, 2));
  check("proxy_record_metric counter 3", proxy_record_metric(COUNTER, 3));
  check("proxy_get_metric counter", proxy_get_metric(COUNTER, slot()));
  say("VALUE counter " + load<u64>(slot()).toString());
  check("proxy_increment_metric histogram", proxy_increment_metric(HISTOGRAM, 1));
  check("proxy_record_metric histogram", proxy_record_metric(HISTOGRAM, 42));
  check("proxy_get_metric histogram", proxy_get_metric(HISTOGRAM, slot()));
  check("proxy_get_metric unknown", proxy_get_metric(12345, slot()));
  check("proxy_record_metric unknown", proxy_record_metric(12345, 1));

  // foreign functions
  const fname = buf("compress");
  const unname = buf("uncompress");
  const nope = buf("no_such_function");
  const data = buf("hello hello hello hello");
  check("proxy_call_foreign_function unknown", proxy_call_foreign_function(ptr(nope), nope.byteLength, ptr(data), 1, slot(), slot() + 4));
  check("proxy_call_foreign_function compress", proxy_call_foreign_function(ptr(fname), fname.byteLength, ptr(data), data.byteLength, slot(), slot() + 4));
  const zp = load<u32>(slot());
  const zl = load<u32>(slot() + 4);
  check("proxy_call_foreign_function uncompress", proxy_call_foreign_function(ptr(unname), unname.byteLength, zp, zl, slot(), slot() + 4));
  value("uncompressed");
  check("proxy_call_foreign_function uncompress garbage", proxy_call_foreign_function(ptr(unname), unname.byteLength, ptr(data), data.byteLength, slot(), slot() + 4));
  const crc = buf("clear_route_cache");
  check("proxy_call_foreign_function clear_route_cache on 0.2.1", proxy_call_foreign_function(ptr(crc), crc.byteLength, 0, 0, slot(), slot() + 4));

  // callouts
  const hdrs = pairs([":method", ":path", ":authority"], ["GET", "/x", "svc"]);
  const noPath = pairs([":method", ":authority"], ["GET", "svc"]);
  const known = buf("known");
  const unknown = buf("unknown");
  check("proxy_http_call unknown cluster", proxy_http_call(ptr(unknown), unknown.byteLength, ptr(hdrs), hdrs.byteLength, 0, 0, 0, 0, 1000, slot()));
  check("proxy_http_call missing :path", proxy_http_call(ptr(known), known.byteLength, ptr(noPath), noPath.byteLength, 0, 0, 0, 0, 1000, slot()));
  check("proxy_http_call negative timeout", proxy_http_call(ptr(known), known.byteLength, ptr(hdrs), hdrs.byteLength, 0, 0, 0, 0, 0x80000000, slot()));
  check("proxy_http_call bad token pointer", proxy_http_call(ptr(known), known.byteLength, ptr(hdrs), hdrs.byteLength, 0, 0, 0, 0, 1000, BAD));
  check("proxy_http_call", proxy_http_call(ptr(known), known.byteLength, ptr(hdrs), hdrs.byteLength, 0, 0, 0, 0, 1000, slot()));
  say("VALUE http_call_token " + load<u32>(slot()).toString());
  check("proxy_grpc_call unknown cluster", proxy_grpc_call(ptr(unknown), unknown.byteLength, 0, 0, 0, 0, 0, 0, 0, 0, 1000, slot()));
  check("proxy_grpc_stream unknown cluster", proxy_grpc_stream(ptr(unknown), unknown.byteLength, 0, 0, 0, 0, 0, 0, slot()));
  check("proxy_grpc_send not a stream token", proxy_grpc_send(4, 0, 0, 0));
  check("proxy_grpc_send unknown stream", proxy_grpc_send(6, 0, 0, 0));
  check("proxy_grpc_cancel unknown call", proxy_grpc_cancel(5));
  check("proxy_grpc_close not a grpc token", proxy_grpc_close(4));
  return true;
}

export function proxy_on_http_call_response(root: u32, token: u32, headers: u32, body: u32, trailers: u32): void {
  say("VALUE http_call_response " + token.toString() + " " + headers.toString() + " " + body.toString() + " " + trailers.toString());
  getHeader("proxy_get_header_map_value http call :status", 6, ":status");
  value("http_call_status");
  check("proxy_get_buffer_bytes http call body", proxy_get_buffer_bytes(4, 0, 0xFFFFFFFF, slot(), slot() + 4));
  value("http_call_body");
  check("proxy_get_header_map_pairs http call trailers", proxy_get_header_map_pairs(7, slot(), slot() + 4));
  check("proxy_add_header_map_value http call headers", proxy_add_header_map_value(6, slot(), 1, slot(), 1));
  check("proxy_get_status after http call", proxy_get_status(slot() + 8, slot(), slot() + 4));
  say("VALUE status_code " + load<u32>(slot() + 8).toString());
  value("status_message");
}

export function proxy_on_queue_ready(root: u32, token: u32): void {
  say("VALUE queue_ready " + token.toString());
}

export function proxy_on_request_headers(id: u32, headers: u32, eos: u32): u32 {
  const rk0 = buf("x-reply");
  if (proxy_get_header_map_value(0, ptr(rk0), rk0.byteLength, slot(), slot() + 4) == 0) {
    const details = buf("denied by conformance");
    const body = buf("nope");
    const extra = pairs(["X-Extra"], ["1"]);
    check("proxy_send_local_response bad body pointer", proxy_send_local_response(403, ptr(details), details.byteLength, BAD, 64, 0, 0, -1));
    check("proxy_send_local_response", proxy_send_local_response(403, ptr(details), details.byteLength, ptr(body), body.byteLength, ptr(extra), extra.byteLength, -1));
    return 0;
  }
  say("VALUE request_headers_count " + headers.toString() + " eos " + eos.toString());
  getHeader("proxy_get_header_map_value present", 0, "X-Test");
  value("x-test");
  getHeader("proxy_get_header_map_value absent", 0, "x-none");
  getHeader("proxy_get_header_map_value request trailers", 1, "x");
  check("proxy_get_header_map_value bad key pointer", proxy_get_header_map_value(0, BAD, 64, slot(), slot() + 4));
  const ua = buf("user-agent");
  const v1 = buf("a");
  const v2 = buf("b");
  check("proxy_add_header_map_value inline", proxy_add_header_map_value(0, ptr(ua), ua.byteLength, ptr(v1), 1));
  check("proxy_add_header_map_value inline again", proxy_add_header_map_value(0, ptr(ua), ua.byteLength, ptr(v2), 1));
  getHeader("proxy_get_header_map_value merged", 0, "user-agent");
  value("user-agent");
  const rk = buf("X-Added");
  check("proxy_add_header_map_value custom", proxy_add_header_map_value(0, ptr(rk), rk.byteLength, ptr(v1), 1));
  check("proxy_add_header_map_value custom again", proxy_add_header_map_value(0, ptr(rk), rk.byteLength, ptr(v2), 1));
  getHeader("proxy_get_header_map_value first of repeated", 0, "x-added");
  value("x-added");
  const rep = buf("x-replaced");
  check("proxy_replace_header_map_value", proxy_replace_header_map_value(0, ptr(rep), rep.byteLength, ptr(v2), 1));
  const del = buf("x-remove-me");
  check("proxy_remove_header_map_value", proxy_remove_header_map_value(0, ptr(del), del.byteLength));
  check("proxy_remove_header_map_value absent", proxy_remove_header_map_value(0, ptr(del), del.byteLength));
  check("proxy_get_header_map_size", proxy_get_header_map_size(0, slot()));
  say("VALUE header_bytes " + load<u32>(slot()).toString());
  check("proxy_get_header_map_pairs", proxy_get_header_map_pairs(0, slot(), slot() + 4));
  say("VALUE pairs_count " + load<u32>(load<u32>(slot())).toString());
  check("proxy_set_header_map_pairs malformed", proxy_set_header_map_pairs(2, ptr(v1), 1));
  check("proxy_get_header_map_size response headers", proxy_get_header_map_size(2, slot()));

  getProperty("proxy_get_property request path", "request\0path");
  value("request.path");
  getProperty("proxy_get_property source address", "source\0address");
  value("source.address");
  getProperty("proxy_get_property trailing nul", "request\0method\0");
  value("request.method");
  getProperty("proxy_get_property request header", "request\0headers\0x-test");
  value("request.headers.x-test");
  getProperty("proxy_get_property unknown", "nope\0x");
  const pk = buf("my_prop");
  const pv = buf("stored");
  check("proxy_set_property", proxy_set_property(ptr(pk), pk.byteLength, ptr(pv), pv.byteLength));
  getProperty("proxy_get_property after set", "my_prop");
  value("my_prop");

  check("proxy_get_buffer_bytes request body outside callback", proxy_get_buffer_bytes(0, 0, 10, slot(), slot() + 4));
  say("VALUE body_len_outside " + load<u32>(slot() + 4).toString());
  check("proxy_set_buffer_bytes request body outside callback", proxy_set_buffer_bytes(0, 0, 0, ptr(v1), 1));
  check("proxy_set_effective_context own", proxy_set_effective_context(id));
  check("proxy_continue_stream type 4", proxy_continue_stream(4));
  check("proxy_close_stream type 4", proxy_close_stream(4));
  check("proxy_continue_stream upstream", proxy_continue_stream(3));
  return 0;
}

export function proxy_on_request_body(id: u32, size: u32, eos: u32): u32 {
  say("VALUE request_body_size " + size.toString() + " eos " + eos.toString());
  check("proxy_get_buffer_status request body", proxy_get_buffer_status(0, slot() + 8, slot() + 12));
  say("VALUE body_status " + load<u32>(slot() + 8).toString() + " " + load<u32>(slot() + 12).toString());
  check("proxy_get_buffer_bytes request body", proxy_get_buffer_bytes(0, 0, 0xFFFFFFFF, slot(), slot() + 4));
  value("body");
  const pre = buf("<");
  const post = buf(">");
  check("proxy_set_buffer_bytes prepend", proxy_set_buffer_bytes(0, 0, 0, ptr(pre), 1));
  check("proxy_set_buffer_bytes append", proxy_set_buffer_bytes(0, 0xFFFFFFFF, 0, ptr(post), 1));
  check("proxy_set_buffer_bytes middle", proxy_set_buffer_bytes(0, 1, 0, ptr(post), 1));
  check("proxy_get_buffer_bytes start beyond end", proxy_get_buffer_bytes(0, 1000, 10, slot(), slot() + 4));
  say("VALUE beyond_len " + load<u32>(slot() + 4).toString());
  const tk = buf("x-trailer");
  check("proxy_add_header_map_value request trailers on last chunk", proxy_add_header_map_value(1, ptr(tk), tk.byteLength, ptr(pre), 1));
  return 0;
}

export function proxy_on_response_headers(id: u32, headers: u32, eos: u32): u32 {
  getHeader("proxy_get_header_map_value request headers in response", 0, "x-test");
  check("proxy_get_header_map_pairs request headers in response", proxy_get_header_map_pairs(0, slot(), slot() + 4));
  say("VALUE request_pairs_len_in_response " + load<u32>(slot() + 4).toString());
  getProperty("proxy_get_property request path in response", "request\0path");
  getHeader("proxy_get_header_map_value response status", 2, ":status");
  value(":status");
  const k = buf("x-resp");
  const v = buf("1");
  check("proxy_replace_header_map_value response", proxy_replace_header_map_value(2, ptr(k), k.byteLength, ptr(v), 1));
  return 0;
}

export function proxy_on_log(id: u32): void {
  getHeader("proxy_get_header_map_value log request headers", 0, "x-test");
  getHeader("proxy_get_header_map_value log request trailers", 1, "x");
  const k = buf("x");
  check("proxy_add_header_map_value log phase", proxy_add_header_map_value(0, ptr(k), 1, ptr(k), 1));
  getProperty("proxy_get_property response code in log", "response\0code");
  say("VALUE response_code " + load<u64>(load<u32>(slot())).toString());
}

export function proxy_on_done(id: u32): bool {
  return true;
}

export function proxy_on_delete(id: u32): void {}
