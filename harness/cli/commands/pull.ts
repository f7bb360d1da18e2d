import type { Command } from 'commander';
import { parseReference, pullImage } from '../../oci/index.ts';
import { writeLine, type CliIO } from '../io.ts';
import { addRegistryOptions, connectionFrom, type RegistryFlags } from './push.ts';

export function register(program: Command, io: CliIO): void {
  const command = program
    .command('pull')
    .description('pull a filter image from an OCI registry into an OCI image layout and extract plugin.wasm')
    .argument('<ref>', 'image, e.g. registry.example.com/team/fault:1.0 or oci://…@sha256:…')
    .argument('<dir>', 'output directory');
  addRegistryOptions(command).action(async (refText: string, dir: string, flags: RegistryFlags) => {
    const ref = parseReference(refText);
    const result = await pullImage({ ref, connection: await connectionFrom(ref.registry, flags), outDir: dir });
    writeLine(io.stdout, `pulled ${ref.registry}/${ref.repository} (${result.variant} variant) into ${dir}`);
    writeLine(io.stdout, `digest: ${result.digest}`);
    writeLine(io.stdout, `module: ${result.wasmPath} (${result.wasm.length} bytes)`);
    writeLine(io.stdout, result.url);
  });
}
