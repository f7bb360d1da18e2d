// Reads the property paths listed in the plugin configuration (one per line, segments separated by "/")
// in proxy_on_request_headers, proxy_on_response_headers and proxy_on_log; logs "<phase> <path> <status> <hex>".

@external("env", "proxy_log") declare function proxy_log(level: u32, ptr: usize, len: usize): u32;
@external("env", "proxy_get_property") declare function proxy_get_property(p: usize, pl: usize, rp: usize, rl: usize): u32;
@external("env", "proxy_get_buffer_bytes") declare function proxy_get_buffer_bytes(t: u32, s: u32, m: u32, rp: usize, rl: usize): u32;

export function myAbort(message: string | null, file: string | null, line: u32, column: u32): void {
  unreachable();
}
export function proxy_abi_version_0_2_0(): void {}
export function malloc(size: usize): usize {
  return __alloc(size);
}

let SLOT: usize = 0;
let PATHS: string[] = [];

function slot(): usize {
  if (SLOT == 0) SLOT = __alloc(16);
  return SLOT;
}

function say(text: string): void {
  const m = String.UTF8.encode(text);
  proxy_log(2, changetype<usize>(m), m.byteLength);
}

const HEX = "0123456789abcdef";

function probe(phase: string): void {
  for (let i = 0; i < PATHS.length; i++) {
    const path = PATHS[i];
    const wire = String.UTF8.encode(path.replaceAll("/", "\0"));
    const s = proxy_get_property(changetype<usize>(wire), wire.byteLength, slot(), slot() + 4);
    let hex = "";
    if (s == 0) {
      const p = load<u32>(slot());
      const l = load<u32>(slot() + 4);
      for (let j: u32 = 0; j < l; j++) {
        const b = load<u8>(p + j);
        hex += HEX.charAt(b >> 4) + HEX.charAt(b & 15);
      }
    }
    say(phase + " " + path + " " + s.toString() + " " + hex);
  }
}

export function proxy_on_context_create(id: u32, parent: u32): void {}
export function proxy_on_vm_start(root: u32, size: u32): bool {
  return true;
}
export function proxy_on_configure(root: u32, size: u32): bool {
  proxy_get_buffer_bytes(7, 0, size, slot(), slot() + 4);
  PATHS = String.UTF8.decodeUnsafe(load<u32>(slot()), load<u32>(slot() + 4)).split("\n");
  probe("root");
  return true;
}
export function proxy_on_request_headers(id: u32, n: u32, eos: u32): u32 {
  probe("request");
  return 0;
}
export function proxy_on_response_headers(id: u32, n: u32, eos: u32): u32 {
  probe("response");
  return 0;
}
export function proxy_on_log(id: u32): void {
  probe("log");
}
export function proxy_on_done(id: u32): bool {
  return true;
}
export function proxy_on_delete(id: u32): void {}
