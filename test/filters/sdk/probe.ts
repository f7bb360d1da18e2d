/** Compile (cached) the SDK probe module used by the SDK tests. */
import path from 'node:path';
import { repoRoot } from '../../../harness/build/asc.ts';
import { compileAssemblyScriptCached } from '../../../harness/build/cached.ts';
import { SDK_ABORT } from '../../../harness/build/filters.ts';

export async function probeWasm(): Promise<Uint8Array> {
  const result = await compileAssemblyScriptCached({
    entry: 'test/filters/sdk/assembly/probe.ts',
    outFile: path.join(repoRoot, '.cache', 'test-sdk', 'probe.wasm'),
    abort: SDK_ABORT,
    inputs: ['filters/sdk'],
  });
  return result.wasm;
}
