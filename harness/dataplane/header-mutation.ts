/**
 * Route-table header manipulation (`request_headers_to_add/remove`, `response_headers_to_add/remove` on the
 * route configuration, virtual host and route), read and applied as Envoy's HeaderParser does: per level,
 * removals first, then overwrites, then additions; levels from most to least specific unless
 * `most_specific_header_mutations_wins` reverses them.
 */
import type { HeaderMap } from '../host/index.ts';
import type { AppendAction, HeaderMutations, HeaderPolicy } from './config-types.ts';
import type { Fields } from './fields.ts';
import { parseFormat, type FormatContext } from './formatter.ts';

const APPEND_ACTIONS: readonly AppendAction[] = ['APPEND_IF_EXISTS_OR_ADD', 'ADD_IF_ABSENT', 'OVERWRITE_IF_EXISTS_OR_ADD', 'OVERWRITE_IF_EXISTS'];

export const NO_HEADER_CHANGES: HeaderPolicy = { request: { remove: [], add: [] }, response: { remove: [], add: [] } };

/** Reads the four header fields of a RouteConfiguration, VirtualHost or Route. */
export function readHeaderPolicy(f: Fields): HeaderPolicy {
  return { request: readMutations(f, 'request'), response: readMutations(f, 'response') };
}

function readMutations(f: Fields, side: 'request' | 'response'): HeaderMutations {
  const removeKey = `${side}_headers_to_remove`;
  const remove = f.strings(removeKey).map((name, i) => {
    if (!isModifiable(name)) f.refusals.unsupported(`${f.at(removeKey)}[${i}]`, `${JSON.stringify(name)}: Envoy rejects removing ':'-prefixed and host headers`);
    return name.toLowerCase();
  });
  const add = f.messages(`${side}_headers_to_add`).map((option) => {
    const header = option.message('header');
    const name = (header?.string('key') ?? '').toLowerCase();
    const raw = header?.has('raw_value') ? Buffer.from(header.string('raw_value'), 'base64').toString('utf8') : undefined;
    const text = raw ?? header?.string('value') ?? '';
    if (header && !isModifiable(name)) header.refusals.unsupported(header.at('key'), `${JSON.stringify(name)}: Envoy rejects adding ':'-prefixed and host headers`);
    const value = parseFormat(text, (message) => option.refusals.unsupported(header ? header.at(raw === undefined ? 'value' : 'raw_value') : option.path, message));
    header?.done();
    let action: AppendAction = 'APPEND_IF_EXISTS_OR_ADD';
    if (option.has('append')) action = option.bool('append', true) ? 'APPEND_IF_EXISTS_OR_ADD' : 'OVERWRITE_IF_EXISTS_OR_ADD';
    if (option.has('append') && option.has('append_action')) option.refusals.unsupported(option.at('append'), 'Envoy rejects append together with append_action');
    if (option.has('append_action')) {
      const wanted = option.string('append_action') as AppendAction;
      if (APPEND_ACTIONS.includes(wanted)) action = wanted;
      else option.refusals.unsupported(option.at('append_action'), `unknown value ${JSON.stringify(wanted)}`);
    }
    const keepEmpty = option.bool('keep_empty_value', false);
    option.done();
    return { name, value, action, keepEmpty };
  });
  return { remove, add };
}

function isModifiable(name: string): boolean {
  const lower = name.toLowerCase();
  return !lower.startsWith(':') && lower !== 'host';
}

/** The levels that apply to a route, in the order Envoy evaluates them. */
export function headerLevels(levels: { routeConfig: HeaderPolicy; virtualHost: HeaderPolicy; route: HeaderPolicy }, mostSpecificWins: boolean): HeaderPolicy[] {
  const ordered = [levels.route, levels.virtualHost, levels.routeConfig];
  return mostSpecificWins ? ordered.reverse() : ordered;
}

/** Applies one side of each level to `headers`, formatting values with `ctx` (missing values are empty). */
export function applyHeaderPolicies(policies: HeaderPolicy[], side: 'request' | 'response', headers: HeaderMap, ctx: FormatContext): void {
  for (const policy of policies) applyMutations(policy[side], headers, ctx);
}

function applyMutations(m: HeaderMutations, headers: HeaderMap, ctx: FormatContext): void {
  for (const name of m.remove) headers.remove(name);
  const overwrite: [string, string][] = [];
  const append: [string, string][] = [];
  for (const h of m.add) {
    const value = h.value.format(ctx, '');
    if (value === '' && !h.keepEmpty) continue;
    const present = headers.has(h.name);
    if (h.action === 'APPEND_IF_EXISTS_OR_ADD' || (h.action === 'ADD_IF_ABSENT' && !present)) append.push([h.name, value]);
    else if (h.action === 'OVERWRITE_IF_EXISTS_OR_ADD' || (h.action === 'OVERWRITE_IF_EXISTS' && present)) overwrite.push([h.name, value]);
  }
  for (const [k, v] of overwrite) headers.set(k, v);
  for (const [k, v] of append) headers.add(k, v);
}
