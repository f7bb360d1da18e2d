/**
 * `npm run bench:load`: HTTP load through a whole data plane with `wrk` (Debian package), on every engine
 * available here (the emulated data plane always; real Envoy when found). Traffic stays on loopback and each
 * run is bounded in time. Prints a table and writes `bench/load-results.json`. Without wrk it says so and exits 0.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { scenarioEngines, startScenario, type ScenarioFilter } from '../harness/dataplane/index.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const seconds = process.argv.includes('--quick') ? 3 : 10;
const connections = 16;

function filter(name: string, configuration?: unknown): ScenarioFilter {
  const example = JSON.parse(readFileSync(path.join(root, 'filters', name, 'example.json'), 'utf8')) as unknown;
  return { name, wasm: path.join(root, 'dist', 'filters', `${name}.wasm`), configuration: configuration ?? example };
}

// rbac's example needs an mTLS identity; under load it answers everyone the same, so allow-all keeps the
// request path representative (the policy engine still runs).
const setups: { name: string; filters: ScenarioFilter[] }[] = [
  { name: 'no Wasm filter', filters: [] },
  { name: 'empty filter', filters: [{ name: 'empty', wasm: path.join(root, 'dist', 'filters', 'empty.wasm') }] },
  { name: 'router (example.json)', filters: [filter('router')] },
  { name: 'fault (no fault selected)', filters: [filter('fault', { abort: { httpStatus: 503, percentage: 0 } })] },
  { name: 'rbac (1 ALLOW policy, matches)', filters: [filter('rbac', { policies: [{ name: 'all', action: 'ALLOW', rules: [{}] }] })] },
  { name: 'metrics (example.json)', filters: [filter('metrics')] },
];

interface Row {
  engine: string;
  setup: string;
  requestsPerSecond: number;
  p50: string;
  p99: string;
  non2xx: number;
}

async function wrk(url: string): Promise<Omit<Row, 'engine' | 'setup'>> {
  const { stdout } = await run('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-H', 'x-request-id: load', url], { timeout: (seconds + 30) * 1000 });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? NaN);
  const p50 = /^\s+50%\s+(\S+)/m.exec(stdout)?.[1] ?? '?';
  const p99 = /^\s+99%\s+(\S+)/m.exec(stdout)?.[1] ?? '?';
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0);
  return { requestsPerSecond: Math.round(rps), p50, p99, non2xx };
}

async function main(): Promise<number> {
  try {
    await run('wrk', ['--version']).catch((error: { stdout?: string }) => {
      if (!error.stdout?.includes('wrk')) throw error;
    });
  } catch {
    process.stdout.write('load benchmark skipped: wrk is not installed (Debian: apt-get install wrk)\n');
    return 0;
  }
  const rows: Row[] = [];
  for (const { engine, availability } of await scenarioEngines()) {
    if (!availability.available) {
      process.stdout.write(`${engine}: skipped — ${availability.reason}\n`);
      continue;
    }
    for (const setup of setups) {
      const scenario = await startScenario({ services: ['v1'], filters: setup.filters }, engine);
      try {
        await scenario.fetch('/warm-up');
        rows.push({ engine, setup: setup.name, ...(await wrk(`${scenario.url}/`)) });
        process.stdout.write(`${engine.padEnd(9)} ${setup.name.padEnd(32)} ${String(rows.at(-1)!.requestsPerSecond).padStart(7)} req/s\n`);
      } finally {
        await scenario.stop();
      }
    }
  }
  const table = [
    `| engine | setup | requests/s | p50 | p99 | non-2xx |`,
    `| --- | --- | --- | --- | --- | --- |`,
    ...rows.map((r) => `| ${r.engine} | ${r.setup} | ${r.requestsPerSecond} | ${r.p50} | ${r.p99} | ${r.non2xx} |`),
  ].join('\n');
  process.stdout.write(`\nwrk -t1 -c${connections} -d${seconds}s, loopback, one echo upstream\n${table}\n`);
  writeFileSync(path.join(root, 'bench', 'load-results.json'), JSON.stringify({ when: new Date().toISOString(), seconds, connections, rows }, null, 2) + '\n');
  return 0;
}

main().then((code) => (process.exitCode = code), (error: unknown) => {
  process.stderr.write(`bench:load: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
