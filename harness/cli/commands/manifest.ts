import { Option, type Command } from 'commander';
import { ConfigError } from '../../errors.ts';
import {
  CONTEXTS, FAIL_STRATEGIES, PHASES, PULL_POLICIES, parseStatsSettings, readJsonFile, renderManifests,
  type FailStrategy, type ManifestOptions, type PatchContext, type Phase, type PullPolicy,
} from '../../istio/index.ts';
import type { CliIO } from '../io.ts';

interface ManifestFlags {
  image: string;
  name?: string;
  namespace?: string;
  selector: string[];
  phase?: Phase;
  priority?: string;
  failStrategy?: FailStrategy;
  imagePullPolicy?: PullPolicy;
  imagePullSecret?: string;
  sha256?: string;
  config?: string;
  envoyfilter?: boolean;
  context?: PatchContext;
  localFile?: string;
  stats?: string;
  filtersDir: string;
}

export function register(program: Command, io: CliIO): void {
  program
    .command('manifest')
    .description('print the Istio WasmPlugin (or EnvoyFilter) that deploys a filter, validated against Istio\'s schemas')
    .argument('<filter>', 'filter name (its schema is filters/<filter>/schema.json)')
    .requiredOption('--image <ref>', 'image pushed with `asmesh push`, e.g. registry.example.com/team/fault@sha256:…')
    .option('--name <name>', 'resource name (default: the filter name)')
    .option('-n, --namespace <ns>', 'namespace (the Istio root namespace applies mesh-wide)')
    .addOption(new Option('--selector <key=value>', 'workload label to select; repeatable').argParser(collect).default([], 'none'))
    .addOption(new Option('--phase <phase>', 'where in the filter chain').choices([...PHASES]))
    .option('--priority <n>', 'ordering within the phase (higher runs first)')
    .addOption(new Option('--fail-strategy <strategy>', 'behaviour when the plugin fails').choices([...FAIL_STRATEGIES]))
    .addOption(new Option('--image-pull-policy <policy>', 'when to fetch the image').choices([...PULL_POLICIES]))
    .option('--image-pull-secret <secret>', 'Kubernetes secret with registry credentials')
    .option('--sha256 <hex>', 'manifest digest to verify (taken from --image when it has @sha256:)')
    .option('--config <file.json>', "plugin configuration, validated against the filter's schema")
    .option('--envoyfilter', 'render an EnvoyFilter (networking.istio.io/v1alpha3) instead, for clusters without WasmPlugin')
    .addOption(new Option('--context <context>', 'EnvoyFilter patch context').choices([...CONTEXTS]))
    .option('--local-file <path>', 'EnvoyFilter: load the module from this path in the proxy (mounted volume) instead of the image')
    .option('--stats <file.json>', 'metrics settings (default: filters/<filter>/istio-stats.json, or the istio section of its stats-tags.json)')
    .option('--filters-dir <dir>', 'where filter sources live', 'filters')
    .action(async (filter: string, flags: ManifestFlags) => {
      const options: ManifestOptions = { filter, image: flags.image, filtersDir: flags.filtersDir, selector: parseSelector(flags.selector) };
      if (flags.name) options.name = flags.name;
      if (flags.namespace) options.namespace = flags.namespace;
      if (flags.phase) options.phase = flags.phase;
      if (flags.priority !== undefined) options.priority = parseInteger(flags.priority, '--priority');
      if (flags.failStrategy) options.failStrategy = flags.failStrategy;
      if (flags.imagePullPolicy) options.imagePullPolicy = flags.imagePullPolicy;
      if (flags.imagePullSecret) options.imagePullSecret = flags.imagePullSecret;
      if (flags.sha256) options.sha256 = flags.sha256;
      if (flags.config) {
        options.pluginConfig = await readJsonFile(flags.config, 'plugin configuration');
        options.pluginConfigLabel = flags.config;
      }
      if (flags.envoyfilter) options.envoyFilter = true;
      if (flags.context) options.context = flags.context;
      if (flags.localFile) options.localFile = flags.localFile;
      if (flags.stats) options.stats = parseStatsSettings(await readJsonFile(flags.stats, 'stats settings'), flags.stats);
      const rendered = await renderManifests(options);
      io.stdout.write(rendered.yaml);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseSelector(pairs: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new ConfigError(`--selector ${JSON.stringify(pair)}: expected key=value`);
    labels[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return labels;
}

function parseInteger(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n)) throw new ConfigError(`${flag} ${JSON.stringify(text)}: expected an integer`);
  return n;
}
