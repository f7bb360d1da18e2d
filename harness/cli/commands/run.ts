/**
 * `asmesh run [bootstrap] [--engine envoy|emulator|auto]`: runs a bootstrap like `envoy -c <file>` on real
 * Envoy or on the emulated data plane, prints the listeners and the engine chosen, and stays in the
 * foreground until SIGINT/SIGTERM. The demo bootstrap (node id `asmesh-demo`) also gets its echo upstreams.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { buildFilters } from '../../build/filters.ts';
import { ConfigError } from '../../errors.ts';
import { loadBootstrapFile, type ValidatedBootstrap } from '../../envoy/validate.ts';
import { startEchoService, type EchoService } from '../../dataplane/echo-service.ts';
import { chooseEngine, engineAvailability, startEngine, type EngineName } from '../../dataplane/engines.ts';
import { CommandFailed, writeLine, type CliIO } from '../io.ts';
import { demoCurlLines, DEMO_NODE_ID } from '../../dataplane/demo.ts';

export function register(program: Command, io: CliIO): void {
  program
    .command('run')
    .description('run an Envoy bootstrap on real Envoy or on the emulated data plane (foreground; Ctrl-C stops)')
    .argument('[bootstrap]', 'bootstrap file (YAML or JSON)', 'envoy/demo.yaml')
    .addOption(new Option('--engine <engine>', 'envoy, emulator, or auto (Envoy when found, else the emulator)').choices(['auto', 'envoy', 'emulator']).default('auto'))
    .option('--no-build', 'do not rebuild stale filters the bootstrap loads from dist/filters/')
    .action(async (file: string, options: { engine: EngineName | 'auto'; build: boolean }) => {
      const validated = await loadBootstrapFile(file);
      if (options.build) {
        for (const built of await buildStaleFilters(validated)) writeLine(io.stdout, `built ${built.name} (${built.ms} ms)`);
      }
      const engine = chooseEngine(options.engine);
      const availability = engineAvailability(engine);
      if (!availability.available) throw new ConfigError(`engine ${engine} unavailable: ${availability.reason}`, availability.hint);
      const upstreams = isDemo(validated) ? await startDemoUpstreams(validated) : [];
      try {
        const running = await startEngine(engine, validated, {
          configPath: file,
          // Like Envoy's console log: the plugins' own lines (and the host's about them) go to stderr.
          onLog: (entry) => writeLine(io.stderr, `[wasm][${entry.level}]${entry.plugin ? `[${entry.plugin}]` : ''} ${entry.message}`),
          onOutput: (text) => io.stderr.write(text),
        });
        writeLine(io.stdout, `engine: ${engine} — ${running.description}`);
        if (options.engine === 'auto' && engine === 'emulator') {
          const envoy = engineAvailability('envoy');
          if (!envoy.available) writeLine(io.stdout, `  (Envoy not used: ${envoy.reason}; ${envoy.hint})`);
        }
        for (const l of running.listeners) writeLine(io.stdout, `listener ${l.name}: ${l.url}`);
        if (running.adminAddress) writeLine(io.stdout, `admin: http://${running.adminAddress}`);
        for (const u of upstreams) writeLine(io.stdout, `demo upstream ${u.name}: http://${u.address}:${u.port}`);
        if (upstreams.length > 0 && running.listeners[0]) {
          writeLine(io.stdout, 'try:');
          for (const line of demoCurlLines(running.listeners[0].url, running.adminAddress)) writeLine(io.stdout, `  ${line}`);
        }
        writeLine(io.stdout, 'press Ctrl-C to stop');
        const stoppedBy = await Promise.race([
          (io.untilSignal?.() ?? new Promise<string>(() => undefined)).then((signal) => signal),
          running.untilExit().then(() => 'exit'),
        ]);
        await running.stop();
        if (stoppedBy === 'exit' && engine === 'envoy') {
          writeLine(io.stderr, 'asmesh: Envoy exited');
          throw new CommandFailed(1);
        }
        writeLine(io.stdout, `stopped (${stoppedBy})`);
      } finally {
        await Promise.all(upstreams.map((u) => u.close()));
      }
    });
}

/**
 * Rebuilds (stamp-based, so cheap when up to date) the filters whose `dist/filters/<name>.wasm` the bootstrap
 * loads, when their source `filters/<name>/index.ts` is in the working directory.
 */
async function buildStaleFilters(validated: ValidatedBootstrap): Promise<{ name: string; ms: number }[]> {
  const names = new Set<string>();
  for (const m of JSON.stringify(validated.bootstrap).matchAll(/"filename":"(?:\.\/)?dist\/filters\/([a-z0-9_-]+)\.wasm"/g)) {
    if (existsSync(resolve('filters', m[1]!, 'index.ts'))) names.add(m[1]!);
  }
  if (names.size === 0) return [];
  const results = await buildFilters({ only: [...names] });
  return results.filter((r) => !r.cached).map((r) => ({ name: r.name, ms: Math.round(r.ms) }));
}

function isDemo(validated: ValidatedBootstrap): boolean {
  return (validated.bootstrap.node as { id?: string } | undefined)?.id === DEMO_NODE_ID;
}

/** One echo service per demo cluster endpoint, named after the cluster. */
async function startDemoUpstreams(validated: ValidatedBootstrap): Promise<EchoService[]> {
  const clusters = ((validated.bootstrap.static_resources as Record<string, unknown>)?.clusters ?? []) as Record<string, any>[];
  const started: EchoService[] = [];
  try {
    for (const cluster of clusters) {
      for (const locality of cluster.load_assignment?.endpoints ?? []) {
        for (const lb of locality.lb_endpoints ?? []) {
          const socket = lb.endpoint?.address?.socket_address;
          if (socket) started.push(await startEchoService(String(cluster.name), { address: socket.address, port: Number(socket.port_value) }));
        }
      }
    }
  } catch (error) {
    await Promise.all(started.map((s) => s.close()));
    throw new ConfigError(`cannot start the demo upstreams: ${(error as Error).message}`, 'another process uses the demo ports; stop it or edit envoy/demo.yaml', { cause: error });
  }
  return started;
}
