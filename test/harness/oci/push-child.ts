/**
 * Test helper process: pushes a .wasm as an oci-variant image in small chunks and prints one line per
 * progress event, so a test can kill it in the middle of a blob. Usage: push-child.ts <wasm> <ref>
 */
import { readFileSync } from 'node:fs';
import { buildImage, parseReference, pushImage } from '../../../harness/oci/index.ts';

const [wasmPath, refText] = process.argv.slice(2);
const image = buildImage(new Uint8Array(readFileSync(wasmPath!)), 'oci', { name: 'child' });
const result = await pushImage({
  image,
  ref: parseReference(refText!),
  connection: {},
  chunkSize: 32 * 1024,
  onProgress: (e) => process.stdout.write(`${e.step} ${e.digest} ${e.sent}/${e.total} ${e.action ?? ''}\n`),
});
process.stdout.write(`done ${result.digest}\n`);
