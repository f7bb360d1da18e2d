/**
 * `npm run bench` (`--quick` for fewer iterations): every module measured on the fixed-answer host and through
 * the emulator; prints one table, writes bench/results.json and bench/results.md (the README's table). Targets are reported
 * here as PASS/FAIL, never asserted in tests.
 */
import { existsSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../harness/build/asc.ts';
import type { BenchCase } from './case.ts';
import { baseCases, FLOOR, SDK_ADD_HEADER, SDK_EMPTY } from './modules.ts';
import { bytesOf, FULL, measureEmulator, measureFixed, QUICK, type FixedResult, type PathResult } from './measure.ts';
import { renderMarkdown, renderTable, type Row, type Target } from './report.ts';

async function filterCases(): Promise<BenchCase[]> {
  const dir = path.join(repoRoot, 'bench', 'cases');
  if (!existsSync(dir)) return [];
  const found: BenchCase[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts')).sort()) {
    const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { cases?: BenchCase[]; default?: BenchCase | BenchCase[] };
    const list = mod.cases ?? mod.default ?? [];
    found.push(...(Array.isArray(list) ? list : [list]));
  }
  return found;
}

async function main(argv: string[]): Promise<number> {
  const quick = argv.includes('--quick');
  const plan = quick ? QUICK : FULL;
  const cases = [...(await baseCases()), ...(await filterCases())];
  const rows: Row[] = [];
  // Warm the emulator's JavaScript (JIT) before the first measured case, so row order does not matter.
  for (const c of cases.slice(0, 3)) {
    try {
      await measureEmulator(c, await bytesOf(c), { ...plan, emulatorRequests: plan.emulatorRequests, emulatorBatch: plan.emulatorBatch });
    } catch {
      // reported when measured below
    }
  }
  for (const c of cases) {
    process.stderr.write(`bench: ${c.name} …\n`);
    const row: Row = { name: c.name, bytes: 0, fixed: null, emulator: null, errors: [] };
    try {
      const wasm = await bytesOf(c);
      row.bytes = wasm.byteLength;
      try {
        row.fixed = measureFixed(c, wasm, plan);
      } catch (e) {
        row.errors.push(`fixed host: ${(e as Error).message}`);
      }
      if (c.skipEmulator) row.errors.push(`emulator skipped: ${c.skipEmulator}`);
      else {
        try {
          row.emulator = await measureEmulator(c, wasm, plan);
        } catch (e) {
          row.errors.push(`emulator: ${(e as Error).message.split('\n')[0]}`);
        }
      }
    } catch (e) {
      row.errors.push((e as Error).message);
    }
    rows.push(row);
  }

  const floor = rows.find((r) => r.name === FLOOR);
  const empty = rows.find((r) => r.name === SDK_EMPTY);
  const ours = rows.filter((r) => r.name !== FLOOR && !r.name.includes('proxy-runtime'));
  const ratio = (a: PathResult | null, b: PathResult | null): number | null => (a && b ? a.nsPerRequest / b.nsPerRequest : null);
  const emptyRatio = ratio(empty?.fixed ?? null, floor?.fixed ?? null);
  const addOne = rows.find((r) => r.name === SDK_ADD_HEADER);
  const addOneRatio = ratio(addOne?.fixed ?? null, floor?.fixed ?? null);
  const times = (v: number | null): string => (v === null ? 'n/a' : `${v.toFixed(1)}×`);
  const growth = (f: FixedResult | null): number | null => (f ? f.memoryAfter - f.memoryBefore : null);
  const targets: Target[] = [
    // The product's speed bar (same kind of fixed-answer host): Go SDK empty ≈ 8×, Rust SDK ≈ 9×,
    // TinyGo add-one-header ≈ 15–17×; our own targets are tighter.
    { what: 'our empty filter ≤ 6× the floor (fixed host; Go SDK ≈ 8×, Rust SDK ≈ 9×)', pass: emptyRatio !== null && emptyRatio <= 6,
      value: times(emptyRatio) },
    { what: 'add one request header on our SDK ≤ 12× the floor (fixed host; TinyGo ≈ 15–17×)', pass: addOneRatio !== null && addOneRatio <= 12,
      value: times(addOneRatio) },
    { what: 'our empty filter makes 0 hostcalls/request (fixed host and emulator)',
      pass: empty?.fixed?.hostcallsPerRequest === 0 && empty?.emulator?.hostcallsPerRequest === 0,
      value: `${empty?.fixed?.hostcallsPerRequest ?? 'n/a'} / ${empty?.emulator?.hostcallsPerRequest ?? 'n/a'}` },
    { what: `linear memory flat over ${plan.fixedRequests.toLocaleString('en')} requests for every module on our SDK`,
      pass: ours.every((r) => growth(r.fixed) === 0),
      value: ours.map((r) => `${r.name}: ${growth(r.fixed) ?? 'n/a'} B`).join('; ') },
  ];

  const meta = {
    date: new Date().toISOString(), mode: quick ? 'quick' : 'full', node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, plan,
  };
  process.stdout.write(`${renderTable(rows, meta, targets)}\n`);
  await writeFile(path.join(repoRoot, 'bench', 'results.json'), `${JSON.stringify({ meta, rows, targets }, null, 2)}\n`);
  await writeFile(path.join(repoRoot, 'bench', 'results.md'), renderMarkdown(rows, meta, targets));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
