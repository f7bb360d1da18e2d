/** Rendering of benchmark rows: a terminal table and the README's markdown section. */
import { FLOOR } from './modules.ts';
import type { EmulatorResult, FixedResult, PathResult, Plan } from './measure.ts';

export interface Row {
  name: string;
  bytes: number;
  fixed: FixedResult | null;
  emulator: EmulatorResult | null;
  errors: string[];
}

export interface Target {
  what: string;
  pass: boolean;
  value: string;
}

export interface Meta {
  date: string;
  mode: string;
  node: string;
  cpu: string;
  cores: number;
  plan: Plan;
}

const HEAD = ['module', 'size B', 'fixed ns/req', '× floor', 'hostcalls/req', 'memory growth', 'emulator ns/req', '× floor', 'hostcalls/req', 'emulator memory growth'];

function cells(rows: Row[]): string[][] {
  const floor = rows.find((r) => r.name === FLOOR);
  const x = (v: PathResult | null, f: PathResult | null | undefined): string => (v && f ? `${(v.nsPerRequest / f.nsPerRequest).toFixed(1)}×` : '–');
  const ns = (v: PathResult | null): string => (v ? v.nsPerRequest.toFixed(0) : '–');
  const hc = (v: PathResult | null): string => (v ? String(Number(v.hostcallsPerRequest.toFixed(2))) : '–');
  const mem = (v: FixedResult | EmulatorResult | null): string => {
    if (!v) return '–';
    const g = v.memoryAfter - v.memoryBefore;
    return g === 0 ? `0 (flat at ${v.memoryAfter / 1024} KiB)` : `+${g} B (${(g / v.requests).toFixed(1)} B/req)`;
  };
  return rows.map((r) => [r.name, String(r.bytes), ns(r.fixed), x(r.fixed, floor?.fixed), hc(r.fixed), mem(r.fixed),
    ns(r.emulator), x(r.emulator, floor?.emulator), hc(r.emulator), mem(r.emulator)]);
}

function describePlan(meta: Meta): string {
  return `${meta.mode} run, ${meta.date}; ${meta.cpu} (${meta.cores} cores), Node ${meta.node}; `
    + `fixed host: median of ${meta.plan.fixedRequests / meta.plan.batch} batches of ${meta.plan.batch.toLocaleString('en')} requests after `
    + `${meta.plan.warmup.toLocaleString('en')} warm-up (memory measured over the same ${meta.plan.fixedRequests.toLocaleString('en')}); `
    + `emulator: median of ${meta.plan.emulatorRequests / meta.plan.emulatorBatch} batches of ${meta.plan.emulatorBatch.toLocaleString('en')}.`;
}

export function renderTable(rows: Row[], meta: Meta, targets: Target[]): string {
  const all = [HEAD, ...cells(rows)];
  const widths = HEAD.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [describePlan(meta), '', line(HEAD), widths.map((w) => '-'.repeat(w)).join('  '), ...cells(rows).map(line), ''];
  for (const r of rows) for (const e of r.errors) out.push(`note: ${r.name}: ${e}`);
  out.push('', 'targets:');
  for (const t of targets) out.push(`  ${t.pass ? 'PASS' : 'FAIL'}  ${t.what}: ${t.value}`);
  return out.join('\n');
}

export function renderMarkdown(rows: Row[], meta: Meta, targets: Target[]): string {
  const md = (r: string[]): string => `| ${r.join(' | ')} |`;
  const out = [
    '## Benchmarks',
    '',
    'A request is: context create → request headers → response headers → log → done → delete. "fixed" runs the module',
    'against a host that answers every hostcall with a fixed value (the Wasm side alone); "emulator" runs it through',
    'the asmesh host emulator and filter manager (`harness/host`, via `asmesh/testing`). × floor compares with a',
    'hand-written WAT module that only returns Continue. Memory growth is `memory.buffer.byteLength` after minus',
    'before the measured requests, after a warm-up (Wasm memory grows in 64 KiB pages, so 0 means no new page).',
    'Run it yourself with `npm run bench`',
    '(`npm run bench -- --quick` for a shorter run).',
    '',
    md(HEAD), md(HEAD.map(() => '---')), ...cells(rows).map(md),
    '',
    `Measured: ${describePlan(meta)} Absolute times vary from run to run on a shared machine; the ratios,`,
    'hostcall counts and memory columns are the stable part.',
    '',
    'Targets:',
    '',
    ...targets.map((t) => `- ${t.pass ? 'PASS' : 'FAIL'} — ${t.what}: ${t.value}`),
    '',
  ];
  const notes = rows.flatMap((r) => r.errors.map((e) => `- ${r.name}: ${e}`));
  if (notes.length > 0) out.push('Notes:', '', ...notes, '');
  return out.join('\n');
}
