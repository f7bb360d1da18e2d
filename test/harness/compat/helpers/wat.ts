/** Compile WAT text to a Wasm binary with the wabt npm package (compat fixtures are hand-written WAT). */
import createWabt from 'wabt';

let wabt: Awaited<ReturnType<typeof createWabt>> | undefined;

export async function compileWat(text: string, name = 'compat.wat'): Promise<Uint8Array> {
  wabt ??= await createWabt();
  const mod = wabt.parseWat(name, text, { bulk_memory: true, mutable_globals: true, sign_extension: true });
  try {
    mod.validate();
    return new Uint8Array(mod.toBinary({}).buffer);
  } finally {
    mod.destroy();
  }
}
