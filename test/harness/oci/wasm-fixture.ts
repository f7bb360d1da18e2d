/** Small proxy-wasm-shaped modules for the OCI tests, built with wabt (no filter build needed). */
import wabtInit from 'wabt';

/**
 * A module exporting `proxy_abi_version_0_2_1` and a memory, with `dataBytes` of deterministic
 * pseudo-random data so blobs can be made large enough for chunked uploads.
 */
export async function makeWasm(dataBytes = 0, seed = 1): Promise<Uint8Array> {
  const wabt = await wabtInit();
  let data = '';
  let x = seed >>> 0 || 1;
  for (let i = 0; i < dataBytes; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    data += '\\' + (x & 0xff).toString(16).padStart(2, '0');
  }
  const pages = Math.max(1, Math.ceil(dataBytes / 65536));
  const wat = `(module
    (memory (export "memory") ${pages})
    (func (export "proxy_abi_version_0_2_1"))
    (func (export "proxy_on_memory_allocate") (param i32) (result i32) (i32.const 0))
    ${dataBytes > 0 ? `(data (i32.const 0) "${data}")` : ''})`;
  const module = wabt.parseWat('fixture.wat', wat);
  try {
    return new Uint8Array(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}
