import { describe, expect, it } from 'vitest';
import { readTar, writeTar } from '../../../harness/oci/tar.ts';

describe('writeTar', () => {
  it('round-trips files and directories through readTar', () => {
    const tar = writeTar([
      { name: 'b.txt', data: new TextEncoder().encode('bee') },
      { name: 'dir/' },
      { name: 'dir/a.bin', data: new Uint8Array([0, 1, 2, 255]) },
    ]);
    const entries = readTar(tar);
    expect(entries.map((e) => e.name)).toEqual(['b.txt', 'dir/', 'dir/a.bin']);
    expect(Buffer.from(entries[2]!.data!)).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(entries[0]!.mode).toBe(0o644);
  });

  it('gives the same bytes whatever the input order', () => {
    const a = { name: 'a', data: new Uint8Array([1]) };
    const b = { name: 'b', data: new Uint8Array([2]) };
    expect(Buffer.from(writeTar([a, b]))).toEqual(Buffer.from(writeTar([b, a])));
  });

  it('pads every entry to 512-byte blocks and ends with two zero blocks', () => {
    const tar = writeTar([{ name: 'x', data: new Uint8Array(513) }]);
    expect(tar.length).toBe(512 + 1024 + 1024);
    expect(tar.subarray(tar.length - 1024).every((b) => b === 0)).toBe(true);
  });

  it('stores names longer than 100 bytes with the ustar prefix field', () => {
    const name = `${'d'.repeat(120)}/${'f'.repeat(90)}`;
    expect(readTar(writeTar([{ name, data: new Uint8Array([7]) }]))[0]!.name).toBe(name);
  });

  it('writes headers tar(1) accepts: valid checksum and ustar magic', () => {
    const tar = writeTar([{ name: 'plugin.wasm', data: new Uint8Array([0, 97, 115, 109]) }]);
    const header = tar.subarray(0, 512);
    expect(Buffer.from(header.subarray(257, 262)).toString()).toBe('ustar');
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
    expect(parseInt(Buffer.from(header.subarray(148, 154)).toString(), 8)).toBe(sum);
  });
});
