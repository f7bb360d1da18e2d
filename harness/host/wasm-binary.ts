/**
 * Minimal reader of a Wasm binary's type, import, function and export sections: enough to know each import's
 * and each exported function's signature (WebAssembly.Module.imports() does not give signatures).
 */

export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'funcref' | 'externref';
export interface FuncSig {
  params: ValType[];
  results: ValType[];
}
export type ExternKind = 'function' | 'table' | 'memory' | 'global' | 'tag';
export interface WasmImport {
  module: string;
  name: string;
  kind: ExternKind;
  /** Only for function imports. */
  sig?: FuncSig;
}
export interface WasmExport {
  name: string;
  kind: ExternKind;
  /** Only for function exports. */
  sig?: FuncSig;
}
export interface WasmBinaryInfo {
  imports: WasmImport[];
  /** In export-section order. */
  exports: WasmExport[];
  hasStartSection: boolean;
}

const VALTYPES: Record<number, ValType> = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref' };
const KINDS: ExternKind[] = ['function', 'table', 'memory', 'global', 'tag'];

export class WasmBinaryError extends Error {
  override readonly name = 'WasmBinaryError';
}

class Reader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}
  byte(): number {
    if (this.pos >= this.bytes.length) throw new WasmBinaryError('unexpected end of Wasm binary');
    return this.bytes[this.pos++]!;
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result >>> 0;
      shift += 7;
      if (shift > 35) throw new WasmBinaryError('bad LEB128');
    }
  }
  name(): string {
    const len = this.u32();
    const s = new TextDecoder().decode(this.bytes.subarray(this.pos, this.pos + len));
    this.pos += len;
    return s;
  }
  valtype(): ValType {
    const b = this.byte();
    const t = VALTYPES[b];
    if (!t) throw new WasmBinaryError(`unknown value type 0x${b.toString(16)}`);
    return t;
  }
  limits(): void {
    const flags = this.byte();
    this.u32();
    if (flags & 1) this.u32();
  }
}

/** Format a signature the way error messages show it: `(i32, i32) -> (i32)`. */
export function formatSig(sig: FuncSig): string {
  return `(${sig.params.join(', ')}) -> (${sig.results.join(', ')})`;
}

export function readWasmBinary(bytes: Uint8Array): WasmBinaryInfo {
  const r = new Reader(bytes);
  if (!(bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d)) {
    throw new WasmBinaryError('not a Wasm binary (bad magic)');
  }
  r.pos = 8;
  const types: FuncSig[] = [];
  const imports: WasmImport[] = [];
  const funcTypes: number[] = []; // function index space: imported functions first
  const rawExports: { name: string; kind: ExternKind; index: number }[] = [];
  let hasStartSection = false;
  while (r.pos < bytes.length) {
    const id = r.byte();
    const size = r.u32();
    const end = r.pos + size;
    if (id === 1) {
      const n = r.u32();
      for (let i = 0; i < n; i++) {
        const form = r.byte();
        if (form !== 0x60) throw new WasmBinaryError(`unsupported type form 0x${form.toString(16)}`);
        const params = Array.from({ length: r.u32() }, () => r.valtype());
        const results = Array.from({ length: r.u32() }, () => r.valtype());
        types.push({ params, results });
      }
    } else if (id === 2) {
      const n = r.u32();
      for (let i = 0; i < n; i++) {
        const module = r.name();
        const name = r.name();
        const kind = KINDS[r.byte()] ?? 'function';
        if (kind === 'function') {
          const t = r.u32();
          funcTypes.push(t);
          imports.push({ module, name, kind, sig: types[t] });
        } else {
          if (kind === 'table') { r.byte(); r.limits(); }
          else if (kind === 'memory') r.limits();
          else if (kind === 'global') { r.byte(); r.byte(); }
          else { r.byte(); r.u32(); }
          imports.push({ module, name, kind });
        }
      }
    } else if (id === 3) {
      const n = r.u32();
      for (let i = 0; i < n; i++) funcTypes.push(r.u32());
    } else if (id === 7) {
      const n = r.u32();
      for (let i = 0; i < n; i++) {
        const name = r.name();
        const kind = KINDS[r.byte()] ?? 'function';
        rawExports.push({ name, kind, index: r.u32() });
      }
    } else if (id === 8) {
      hasStartSection = true;
    }
    r.pos = end;
  }
  const exports = rawExports.map((e): WasmExport => {
    if (e.kind !== 'function') return { name: e.name, kind: e.kind };
    const t = funcTypes[e.index];
    return { name: e.name, kind: e.kind, sig: t === undefined ? undefined : types[t] };
  });
  return { imports, exports, hasStartSection };
}
