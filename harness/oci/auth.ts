/** WWW-Authenticate challenges (RFC 7235) as registries send them: `Basic realm=…`, `Bearer realm=…,service=…,scope=…`. */
export interface Challenge {
  scheme: string; // lower-case
  params: Record<string, string>;
}

export function parseChallenges(header: string | undefined): Challenge[] {
  if (!header) return [];
  const challenges: Challenge[] = [];
  const re = /\s*([A-Za-z][\w-]*)(?:\s+((?:[\w-]+\s*=\s*(?:"(?:[^"\\]|\\.)*"|[^,\s]*)\s*,?\s*)*))?\s*,?/gy;
  let match: RegExpExecArray | null;
  while (re.lastIndex < header.length && (match = re.exec(header)) !== null) {
    if (match[0].length === 0) break;
    const params: Record<string, string> = {};
    const paramRe = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
    for (const p of (match[2] ?? '').matchAll(paramRe)) params[p[1]!.toLowerCase()] = (p[2] ?? p[3] ?? '').replace(/\\(.)/g, '$1');
    challenges.push({ scheme: match[1]!.toLowerCase(), params });
  }
  return challenges;
}

export function basicAuthorization(username: string, password: string): string {
  return 'Basic ' + Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
}
