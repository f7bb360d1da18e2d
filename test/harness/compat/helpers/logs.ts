/** Read what a plugin logged through the emulator (plugin lines only, host diagnostics excluded). */
import type { LogEntry } from '../../../../harness/host/index.ts';

export interface PluginLine {
  level: LogEntry['level'];
  message: string;
}

export function pluginLines(entries: LogEntry[]): PluginLine[] {
  return entries.filter((e) => !e.host).map((e) => ({ level: e.level, message: e.message }));
}

/** Messages starting with `prefix`, in order. */
export function linesStartingWith(entries: LogEntry[], prefix: string): string[] {
  return pluginLines(entries).map((l) => l.message).filter((m) => m.startsWith(prefix));
}

/** Parse `key=value` words of one report line (values without spaces). */
export function fields(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of line.matchAll(/(\w+)=(\S*)/g)) out[m[1]!] = m[2]!;
  return out;
}
