import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { ConfigError } from '../../errors.ts';
import { loadImage, parseReference, pushImage, resolveCredentials, type ConnectionOptions, type PushProgress } from '../../oci/index.ts';
import { writeLine, type CliIO } from '../io.ts';

export interface RegistryFlags {
  plainHttp?: boolean;
  caFile?: string;
  username?: string;
  password?: string;
  passwordStdin?: boolean;
}

/** Flags shared by push and pull: transport and credentials. */
export function addRegistryOptions(command: Command): Command {
  return command
    .option('--plain-http', 'talk plain HTTP (default HTTPS; loopback registries fall back to HTTP by themselves)')
    .option('--ca-file <pem>', 'extra CA certificate(s) to trust for the registry')
    .option('-u, --username <user>', 'registry user (else ASMESH_REGISTRY_USERNAME, else ~/.docker/config.json)')
    .option('-p, --password <password>', 'registry password (prefer --password-stdin or ASMESH_REGISTRY_PASSWORD)')
    .option('--password-stdin', 'read the password from standard input');
}

export async function connectionFrom(registry: string, flags: RegistryFlags): Promise<Omit<ConnectionOptions, 'registry'>> {
  let password = flags.password;
  if (flags.passwordStdin) password = readFileSync(0, 'utf8').replace(/\r?\n$/, '');
  const credentials = await resolveCredentials(registry, { ...(flags.username !== undefined ? { username: flags.username } : {}), ...(password !== undefined ? { password } : {}) });
  let ca: string | undefined;
  if (flags.caFile) {
    try {
      ca = readFileSync(flags.caFile, 'utf8');
    } catch (cause) {
      throw new ConfigError(`--ca-file ${flags.caFile}: cannot read`, undefined, { cause });
    }
  }
  return { ...(credentials ? { credentials } : {}), ...(flags.plainHttp ? { plainHttp: true } : {}), ...(ca ? { ca } : {}) };
}

interface PushFlags extends RegistryFlags {
  variant?: 'oci' | 'compat';
  chunkSize?: string;
  mountFrom?: string;
  quiet?: boolean;
  distDir: string;
}

export function register(program: Command, io: CliIO): void {
  const command = program
    .command('push')
    .description('push a filter image to an OCI registry (distribution API, no Docker needed)')
    .argument('<source>', 'OCI image layout from `asmesh package`, a filter name, or a .wasm file')
    .argument('<ref>', 'destination, e.g. registry.example.com/team/fault:1.0')
    .addOption(new Option('--variant <variant>', 'image to push from a layout, or variant to build (default: oci)').choices(['oci', 'compat']))
    .option('--chunk-size <bytes>', 'upload blobs in chunks of this size (default: one request per blob)')
    .option('--mount-from <repository>', 'mount blobs from this repository of the same registry when present')
    .option('-q, --quiet', 'no progress output')
    .option('--dist-dir <dir>', 'build output directory', 'dist');
  addRegistryOptions(command)
    .addHelpText('after', '\nBlobs already in the registry are skipped; the tag is written last, so an interrupted push\nleaves no tag and running it again resumes.')
    .action(async (source: string, refText: string, flags: PushFlags) => {
      const ref = parseReference(refText);
      const chunkSize = flags.chunkSize === undefined ? 0 : Number(flags.chunkSize);
      if (!Number.isInteger(chunkSize) || chunkSize < 0) throw new ConfigError(`--chunk-size ${JSON.stringify(flags.chunkSize)}: expected a byte count`);
      const { image, source: from } = await loadImage(source, flags.variant, { distDir: flags.distDir });
      const connection = await connectionFrom(ref.registry, flags);
      const result = await pushImage({
        image,
        ref,
        connection,
        chunkSize,
        ...(flags.mountFrom ? { mountFrom: flags.mountFrom } : {}),
        ...(flags.quiet ? {} : { onProgress: progressPrinter(io) }),
      });
      writeLine(io.stdout, `pushed ${from} (${image.variant} variant) to ${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}`);
      writeLine(io.stdout, `digest: ${result.digest}`);
      writeLine(io.stdout, result.url);
    });
}

/** One line per blob: percentage steps while uploading, then what happened to it. */
function progressPrinter(io: CliIO): (event: PushProgress) => void {
  const shown = new Map<string, number>();
  return (event) => {
    const short = event.digest.slice(0, 19);
    if (event.step === 'manifest') return;
    if (event.action) {
      writeLine(io.stderr, `${short}  ${event.action.padEnd(8)} ${formatBytes(event.total)}`);
      return;
    }
    const percent = event.total === 0 ? 100 : Math.floor((event.sent / event.total) * 100);
    const step = Math.floor(percent / 25) * 25;
    if ((shown.get(event.digest) ?? -1) >= step) return;
    shown.set(event.digest, step);
    writeLine(io.stderr, `${short}  uploading ${formatBytes(event.sent)} / ${formatBytes(event.total)} (${percent}%)`);
  };
}

function formatBytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
