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

/** What the numbers mean: the fixed host, the request sequence, and the proxy-runtime memory growth. */
const NOTES = [
  '### Reading the numbers',
  '',
  '- **The fixed host** (`bench/fixed-host.ts`) counts every hostcall in a typed-array slot through a fixed-arity',
  '  wrapper and writes returned values through cached views of the module memory, so a hostcall costs the',
  '  module little more than the JavaScript call itself. Numbers recorded before this host (rest-argument',
  '  wrappers, a `Map` counter and two `DataView`s per returned value) charged every hostcall-making module',
  '  roughly 100–200 ns of host time per request.',
  '- **Every module gets its own request loop** (`bench/driver.ts` compiles one per driver). A loop shared by all',
  '  modules turns megamorphic after the first one, so results depended on row order: the floor, measured first,',
  '  was timed through monomorphic call sites (~15 ns) and every later module through megamorphic ones (the',
  '  floor itself takes ~40 ns through such a loop; the empty filter ~3 ns more than through its own loop).',
  '- **Noise.** On this shared two-core machine one module\'s time varies by up to ±40 % between runs (the empty',
  '  filter measured 70–135 ns within one hour, the floor 15–20 ns): compare rows of one run, not runs.',
  '- **The request sequence is Envoy\'s**: `proxy_on_context_create` (lazily, inside `decodeHeaders`) →',
  '  `proxy_on_request_headers` → `proxy_on_response_headers` → `proxy_on_log` → `proxy_on_done` →',
  '  `proxy_on_delete` (Envoy runs the access-log phase before the filter\'s `onDestroy`; see the host',
  '  reference §1.4). Bodies are not part of the benchmark request.',
  '- **Why "empty on bare proxy-runtime 0.1.8" is flat here, though 0.1.8 filters are known to grow ~31–38 B',
  '  per request.** The growth does not depend on the request sequence or on how `proxy_log` is answered.',
  '  AssemblyScript 0.17 defers freeing only for objects whose class it classifies as possibly cyclic; when a',
  '  program has no such class at all it compiles plain reference counting (`__GC_ALL_ACYCLIC`). proxy-runtime\'s',
  '  own classes are all acyclic for the compiler, so its empty filter frees every context at `proxy_on_delete`.',
  '  A real filter usually has a cyclic type (a stream that keeps its root while the root keeps streams, a',
  '  queue of streams …): then every context that `getContext` retains and releases in a callback is parked',
  '  as a possible cycle root, and because proxy-runtime never calls `__collect()` it is never freed, not even',
  '  after `proxy_on_delete` removes it from the context map. The row "empty on bare proxy-runtime 0.1.8,',
  '  stream ↔ root cyclic types" is that case (the only difference from the empty row is one field of each',
  '  class typed as the other). Tracking the points where its memory doubles gives 37–40 B per request',
  '  (a 32-byte context block plus its 4-byte entry in the root buffer): the reported figure. Its',
  '  "memory growth" column shows more because Wasm memory is measured in pages and the allocator doubles',
  '  memory when it grows. The asmesh SDK calls `__collect()` every 64 deleted streams, so a filter with',
  '  cyclic types (today fault and metrics) stays flat; filters without one (rbac, router) need no collection.',
];

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
    ...NOTES,
    '',
  ];
  const notes = rows.flatMap((r) => r.errors.map((e) => `- ${r.name}: ${e}`));
  if (notes.length > 0) out.push('Notes:', '', ...notes, '');
  return out.join('\n');
}
