/** Hand-written WAT modules for precise ABI edge cases (compiled with the wabt npm package). */
import createWabt from 'wabt';

let wabt: Awaited<ReturnType<typeof createWabt>> | undefined;

export async function wat(text: string): Promise<Uint8Array> {
  wabt ??= await createWabt();
  const mod = wabt.parseWat('test.wat', text, { mutable_globals: true, sat_float_to_int: true, sign_extension: true, bulk_memory: true });
  try {
    return new Uint8Array(mod.toBinary({}).buffer);
  } finally {
    mod.destroy();
  }
}

/** Memory, a bump `malloc` and the ABI marker; `body` adds imports/exports/functions. */
export function plugin(body: string, options: { abi?: string; malloc?: boolean; imports?: string } = {}): string {
  const abi = options.abi ?? 'proxy_abi_version_0_2_0';
  return `(module
  ${options.imports ?? ''}
  (memory (export "memory") 2)
  (global $heap (mut i32) (i32.const 32768))
  ${options.malloc === false ? '' : `(func (export "malloc") (param $n i32) (result i32)
    (local $p i32) (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (i32.and (i32.add (local.get $n) (i32.const 7)) (i32.const -8))))
    (local.get $p))`}
  ${abi ? `(func (export "${abi}"))` : ''}
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 1))
  (func (export "proxy_on_configure") (param i32 i32) (result i32) (i32.const 1))
  ${body}
)`;
}
