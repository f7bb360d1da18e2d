/** Reads what the image metadata needs from a Wasm binary: validity and the proxy-wasm ABI version it exports. */

const MAGIC = [0x00, 0x61, 0x73, 0x6d];

export function isWasm(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && MAGIC.every((b, i) => bytes[i] === b);
}

/** Names of the module's exports (export section, id 7). Throws on a truncated module. */
export function wasmExports(bytes: Uint8Array): string[] {
  let offset = 8;
  const names: string[] = [];
  const leb = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (offset >= bytes.length) throw new Error('truncated Wasm module');
      const byte = bytes[offset++]!;
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result >>> 0;
      shift += 7;
    }
  };
  while (offset < bytes.length) {
    const id = bytes[offset++]!;
    const size = leb();
    const end = offset + size;
    if (id === 7) {
      const count = leb();
      for (let i = 0; i < count; i++) {
        const length = leb();
        names.push(Buffer.from(bytes.subarray(offset, offset + length)).toString('utf8'));
        offset += length + 1; // name, kind byte
        leb(); // index
      }
    }
    offset = end;
  }
  return names;
}

/** `proxy_abi_version_0_2_1` → `v0.2.1`; the versions a module declares. */
export function proxyAbiVersions(bytes: Uint8Array): string[] {
  return wasmExports(bytes)
    .map((name) => /^proxy_abi_version_(\d+)_(\d+)_(\d+)$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `v${m[1]}.${m[2]}.${m[3]}`)
    .sort();
}
