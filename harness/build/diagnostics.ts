/** Parse the text diagnostics of asc 0.17 (`ERROR TS2304: msg` … ` in file.ts(2,10)`) into records. */
import path from 'node:path';

export interface Diagnostic {
  category: 'ERROR' | 'WARNING' | 'INFO' | 'PEDANTIC';
  /** e.g. `TS2304`, `AS201` */
  code: string;
  message: string;
  /** Path relative to the repository root when inside it (`~lib/...` kept as is); `''` when asc gave no location. */
  file: string;
  line: number;
  column: number;
}

const HEAD = /^(ERROR|WARNING|INFO|PEDANTIC) ((?:TS|AS)\d+): (.*)$/;
const WHERE = /^\s+in (.+)\((\d+),(\d+)\)\s*$/;

export function parseDiagnostics(output: string, root: string): Diagnostic[] {
  const result: Diagnostic[] = [];
  let current: Diagnostic | null = null;
  for (const raw of output.split(/\r?\n/)) {
    const head = HEAD.exec(raw);
    if (head) {
      current = { category: head[1] as Diagnostic['category'], code: head[2]!, message: head[3]!, file: '', line: 0, column: 0 };
      result.push(current);
      continue;
    }
    const where = WHERE.exec(raw);
    if (where && current && current.file === '') {
      current.file = normalise(where[1]!, root);
      current.line = Number(where[2]);
      current.column = Number(where[3]);
    }
  }
  return result;
}

function normalise(file: string, root: string): string {
  if (file.startsWith('~lib/')) return file;
  const abs = path.resolve(root, file);
  const rel = path.relative(root, abs);
  return rel.startsWith('..') ? abs : rel;
}
