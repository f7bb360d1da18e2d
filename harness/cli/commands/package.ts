import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { packageWasm, resolveWasm, type Variant } from '../../oci/index.ts';
import { writeLine, type CliIO } from '../io.ts';

interface PackageFlags {
  out?: string;
  variant: 'oci' | 'compat' | 'both';
  tarball?: string;
  imageVersion?: string;
  revision?: string;
  source?: string;
  description?: string;
  created?: string;
  distDir: string;
}

export function register(program: Command, io: CliIO): void {
  program
    .command('package')
    .description('write a Wasm plugin image (Istio oci and compat variants) as an OCI image layout, plus a Dockerfile')
    .argument('<filter>', 'filter name (reads <dist>/filters/<filter>.wasm) or a .wasm file')
    .option('-o, --out <dir>', 'output directory (default: <dist>/oci/<filter>)')
    .addOption(new Option('--variant <variant>', 'image variant(s) to write').choices(['oci', 'compat', 'both']).default('both'))
    .option('--tarball <file>', 'also write the layout as an oci-archive tarball')
    .option('--image-version <version>', 'org.opencontainers.image.version annotation')
    .option('--revision <rev>', 'org.opencontainers.image.revision annotation (source revision, e.g. a git commit)')
    .option('--source <url>', 'org.opencontainers.image.source annotation')
    .option('--description <text>', 'org.opencontainers.image.description annotation')
    .option('--created <time>', 'RFC 3339 creation time (omitted by default so builds are reproducible)')
    .option('--dist-dir <dir>', 'build output directory', 'dist')
    .addHelpText('after', '\nSame module and options give the same digests, byte for byte.\nPush with: asmesh push <out> <registry/repo:tag> [--variant oci|compat]')
    .action(async (filter: string, flags: PackageFlags) => {
      const wasm = await resolveWasm(filter, flags.distDir);
      const outDir = flags.out ?? join(flags.distDir, 'oci', wasm.name);
      const variants: Variant[] = flags.variant === 'both' ? ['oci', 'compat'] : [flags.variant];
      const result = await packageWasm({
        wasm: wasm.wasm,
        name: wasm.name,
        outDir,
        variants,
        ...(flags.tarball ? { tarball: flags.tarball } : {}),
        ...(flags.imageVersion ? { version: flags.imageVersion } : {}),
        ...(flags.revision ? { revision: flags.revision } : {}),
        ...(flags.source ? { source: flags.source } : {}),
        ...(flags.description ? { description: flags.description } : {}),
        ...(flags.created ? { created: flags.created } : {}),
      });
      writeLine(io.stdout, `packaged ${wasm.path} (${wasm.wasm.length} bytes) into ${result.outDir}`);
      for (const image of result.images) {
        writeLine(io.stdout, `  ${image.variant.padEnd(7)} ${image.digest}  (oci:${result.outDir}:${image.refName})`);
      }
      writeLine(io.stdout, `  Dockerfile  ${result.dockerfile}`);
      if (result.tarball) writeLine(io.stdout, `  tarball     ${result.tarball}`);
    });
}
