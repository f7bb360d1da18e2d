/**
 * A minimal POSIX ustar writer and reader. The writer is deterministic: entries are
 * sorted by name, mtime is fixed (default 0), owner is root with empty names, modes
 * are fixed, so the same files always give the same bytes.
 */

export interface TarEntry {
  name: string; // directories end with '/'
  data?: Uint8Array;
  mode?: number;
}

const BLOCK = 512;

export function writeTar(entries: TarEntry[], mtimeSeconds = 0): Uint8Array {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const chunks: Uint8Array[] = [];
  for (const entry of sorted) {
    const isDir = entry.name.endsWith('/');
    const data = isDir ? new Uint8Array(0) : entry.data ?? new Uint8Array(0);
    chunks.push(header(entry.name, data.length, entry.mode ?? (isDir ? 0o755 : 0o644), isDir, mtimeSeconds));
    chunks.push(data);
    const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
    if (pad) chunks.push(new Uint8Array(pad));
  }
  chunks.push(new Uint8Array(BLOCK * 2));
  return concat(chunks);
}

function header(name: string, size: number, mode: number, isDir: boolean, mtime: number): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const [prefix, base] = splitName(name);
  putString(h, 0, 100, base);
  putOctal(h, 100, 8, mode);
  putOctal(h, 108, 8, 0); // uid
  putOctal(h, 116, 8, 0); // gid
  putOctal(h, 124, 12, size);
  putOctal(h, 136, 12, mtime);
  h.fill(0x20, 148, 156); // checksum placeholder: spaces
  h[156] = isDir ? 0x35 : 0x30; // '5' directory, '0' file
  putString(h, 257, 6, 'ustar');
  putString(h, 263, 2, '00');
  putOctal(h, 329, 8, 0); // devmajor
  putOctal(h, 337, 8, 0); // devminor
  putString(h, 345, 155, prefix);
  let sum = 0;
  for (const byte of h) sum += byte;
  putString(h, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return h;
}

function splitName(name: string): [string, string] {
  if (Buffer.byteLength(name) <= 100) return ['', name];
  const cut = name.lastIndexOf('/', name.length - 2);
  const prefix = name.slice(0, cut);
  const base = name.slice(cut + 1);
  if (cut < 0 || Buffer.byteLength(prefix) > 155 || Buffer.byteLength(base) > 100) {
    throw new Error(`tar entry name too long: ${name}`);
  }
  return [prefix, base];
}

function putString(h: Uint8Array, offset: number, length: number, value: string): void {
  const bytes = Buffer.from(value, 'utf8');
  h.set(bytes.subarray(0, length), offset);
}

function putOctal(h: Uint8Array, offset: number, length: number, value: number): void {
  putString(h, offset, length, value.toString(8).padStart(length - 1, '0') + '\0');
}

/** Reads regular files and directories of a ustar/pax/gnu tar; other entry types are skipped. */
export function readTar(tar: Uint8Array): TarEntry[] {
  const entries: TarEntry[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + BLOCK <= tar.length) {
    const h = tar.subarray(offset, offset + BLOCK);
    if (h.every((b) => b === 0)) break;
    const size = parseOctal(h.subarray(124, 136));
    const type = String.fromCharCode(h[156] || 0x30);
    const data = tar.subarray(offset + BLOCK, offset + BLOCK + size);
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      const path = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(Buffer.from(data).toString('utf8'));
      if (path) longName = path[1];
      continue;
    }
    if (type === 'L') {
      longName = cString(data);
      continue;
    }
    const prefix = cString(h.subarray(345, 500));
    const name = longName ?? (prefix ? `${prefix}/${cString(h.subarray(0, 100))}` : cString(h.subarray(0, 100)));
    longName = undefined;
    if (type === '0' || type === '\0' || type === '7') entries.push({ name, data: new Uint8Array(data), mode: parseOctal(h.subarray(100, 108)) });
    else if (type === '5') entries.push({ name: name.endsWith('/') ? name : name + '/' });
  }
  return entries;
}

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return Buffer.from(end < 0 ? bytes : bytes.subarray(0, end)).toString('utf8');
}

function parseOctal(bytes: Uint8Array): number {
  const text = cString(bytes).trim();
  return text ? parseInt(text, 8) : 0;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(chunks));
}
