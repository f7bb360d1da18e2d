// Async flows: pause a request, call a cluster, resume (or reply) from proxy_on_http_call_response;
// tick timer from the configuration; root on_done returning false until proxy_done.

@external("env", "proxy_log") declare function proxy_log(level: u32, ptr: usize, len: usize): u32;
@external("env", "proxy_http_call") declare function proxy_http_call(c: usize, cl: usize, h: usize, hl: usize, b: usize, bl: usize, t: usize, tl: usize, timeout: u32, token: usize): u32;
@external("env", "proxy_set_effective_context") declare function proxy_set_effective_context(id: u32): u32;
@external("env", "proxy_continue_stream") declare function proxy_continue_stream(t: u32): u32;
@external("env", "proxy_add_header_map_value") declare function proxy_add_header_map_value(t: u32, k: usize, kl: usize, v: usize, vl: usize): u32;
@external("env", "proxy_get_header_map_value") declare function proxy_get_header_map_value(t: u32, k: usize, kl: usize, rp: usize, rl: usize): u32;
@external("env", "proxy_send_local_response") declare function proxy_send_local_response(s: u32, d: usize, dl: usize, b: usize, bl: usize, h: usize, hl: usize, g: i32): u32;
@external("env", "proxy_set_tick_period_milliseconds") declare function proxy_set_tick_period_milliseconds(ms: u32): u32;
@external("env", "proxy_done") declare function proxy_done(): u32;
@external("env", "proxy_get_buffer_bytes") declare function proxy_get_buffer_bytes(t: u32, s: u32, m: u32, rp: usize, rl: usize): u32;

export function myAbort(message: string | null, file: string | null, line: u32, column: u32): void {
  unreachable();
}
export function proxy_abi_version_0_2_0(): void {}
export function malloc(size: usize): usize {
  return __alloc(size);
}

let SLOT: usize = 0;
function slot(): usize {
  if (SLOT == 0) SLOT = __alloc(32);
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

// A fixed pair list: :method GET, :path /check, :authority auth
function callHeaders(): ArrayBuffer {
  const keys = [":method", ":path", ":authority"];
  const vals = ["GET", "/check", "auth"];
  let size = 4;
  for (let i = 0; i < 3; i++) size += 8 + keys[i].length + vals[i].length + 2;
  const out = new ArrayBuffer(size);
  const base = ptr(out);
  store<u32>(base, 3);
  let p = base + 28;
  for (let i = 0; i < 3; i++) {
    const k = buf(keys[i]);
    const v = buf(vals[i]);
    store<u32>(base + 4 + 8 * i, k.byteLength);
    store<u32>(base + 8 + 8 * i, v.byteLength);
    memory.copy(p, ptr(k), k.byteLength);
    p += k.byteLength + 1;
    memory.copy(p, ptr(v), v.byteLength);
    p += v.byteLength + 1;
  }
  return out;
}

let ROOT: u32 = 0;
let PENDING_CTX: u32 = 0;
let TICKS: u32 = 0;

export function proxy_on_context_create(id: u32, parent: u32): void {
  if (parent == 0) ROOT = id;
}
export function proxy_on_vm_start(root: u32, size: u32): bool {
  return true;
}
export function proxy_on_configure(root: u32, size: u32): bool {
  proxy_get_buffer_bytes(7, 0, size, slot(), slot() + 4);
  const period = I32.parseInt(String.UTF8.decodeUnsafe(load<u32>(slot()), load<u32>(slot() + 4)));
  proxy_set_tick_period_milliseconds(<u32>period);
  return true;
}
export function proxy_on_tick(root: u32): void {
  TICKS++;
  say("tick " + TICKS.toString());
  if (TICKS == 2) proxy_set_tick_period_milliseconds(0);
}
export function proxy_on_request_headers(id: u32, n: u32, eos: u32): u32 {
  const cluster = buf("auth");
  const h = callHeaders();
  const s = proxy_http_call(ptr(cluster), cluster.byteLength, ptr(h), h.byteLength, 0, 0, 0, 0, 500, slot());
  say("call " + s.toString() + " token " + load<u32>(slot()).toString() + " from " + id.toString());
  PENDING_CTX = id;
  return 1; // StopIteration → Envoy converts to StopAllIterationAndWatermark
}
export function proxy_on_http_call_response(root: u32, token: u32, headers: u32, body: u32, trailers: u32): void {
  say("response on " + root.toString() + " token " + token.toString());
  const k = buf(":status");
  proxy_get_header_map_value(6, ptr(k), k.byteLength, slot(), slot() + 4);
  const status = String.UTF8.decodeUnsafe(load<u32>(slot()), load<u32>(slot() + 4));
  say("effective " + proxy_set_effective_context(PENDING_CTX).toString());
  // Envoy reads the http-call maps from the root context even while a stream is effective.
  say("status via stream " + proxy_get_header_map_value(6, ptr(k), k.byteLength, slot(), slot() + 4).toString());
  if (status == "200") {
    const hk = buf("x-auth");
    const hv = buf("ok");
    proxy_add_header_map_value(0, ptr(hk), hk.byteLength, ptr(hv), hv.byteLength);
    proxy_continue_stream(0);
    // Envoy forgets the request headers at the continue call: later edits fail.
    say("after continue " + proxy_add_header_map_value(0, ptr(hk), hk.byteLength, ptr(hv), hv.byteLength).toString());
  } else {
    const d = buf("auth denied");
    proxy_send_local_response(401, ptr(d), d.byteLength, 0, 0, 0, 0, -1);
  }
}
export function proxy_on_done(id: u32): bool {
  if (id == ROOT) {
    say("root done requested");
    return false;
  }
  return true;
}
export function proxy_on_delete(id: u32): void {
  say("delete " + id.toString());
}
export function proxy_on_queue_ready(root: u32, token: u32): void {}
export function proxy_on_log(id: u32): void {
  // Finishing the root from a stream context does not apply: proxy_done acts on the root only when waiting.
}
export function finish_root(): u32 {
  proxy_set_effective_context(ROOT);
  return proxy_done();
}
