import type { FirewallChain, FirewallTables } from '../../shared/facts/network';
import { HostError } from '../host/host';

/** The tables Docker writes to (IPv4): filter (FORWARD, its DOCKER-* chains) and nat (publishing, masquerading). */
const TABLES = ['filter', 'nat'] as const;
type TableName = (typeof TABLES)[number];
const isTable = (name: string): name is TableName => (TABLES as readonly string[]).includes(name);

/** The table being read: its chains in the order they were declared. */
type Building = Map<string, FirewallChain>;

function emptyTables(): Record<TableName, Building> {
  return { filter: new Map(), nat: new Map() };
}

function chainIn(table: Building, name: string): FirewallChain {
  let chain = table.get(name);
  if (!chain) {
    chain = { name, policy: null, targets: [] };
    table.set(name, chain);
  }
  return chain;
}

function addTarget(chain: FirewallChain, target: string): void {
  if (!chain.targets.includes(target)) chain.targets.push(target);
}

function finish(tables: Record<TableName, Building>): FirewallTables {
  return { filter: [...tables.filter.values()], nat: [...tables.nat.values()] };
}

/**
 * iptables-save(8) output, as both its legacy and nf_tables backends print it: "*table", ":CHAIN POLICY [p:b]" for
 * each chain ("-" for a user-defined chain's), "-A CHAIN ... -j TARGET" (or -g, --jump, --goto) for each rule, COMMIT.
 * Only the filter and nat tables are kept; a line that is none of these is malformed input, reported with its number.
 */
export function parseIptablesSave(text: string, shownAs = 'iptables-save'): FirewallTables {
  const tables = emptyTables();
  let table: Building | null = null;
  let inTable = false;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const bad = () =>
      new HostError('malformed', `${shownAs} line ${i + 1}: not iptables-save output: ${JSON.stringify(line.slice(0, 120))}`);
    if (line.startsWith('*')) {
      const name = line.slice(1);
      table = isTable(name) ? tables[name] : null;
      inTable = true;
      return;
    }
    if (line === 'COMMIT') {
      table = null;
      inTable = false;
      return;
    }
    if (!inTable) throw bad();
    if (line.startsWith(':')) {
      const m = /^:(\S+)\s+(\S+)/.exec(line);
      if (!m) throw bad();
      if (table) chainIn(table, m[1]!).policy = m[2] === '-' ? null : m[2]!;
      return;
    }
    if (line.startsWith('-A ') || line.startsWith('-I ')) {
      const words = line.split(/\s+/);
      const chainName = words[1];
      if (!chainName) throw bad();
      if (!table) return;
      const chain = chainIn(table, chainName);
      for (let w = 2; w < words.length - 1; w++) {
        if (['-j', '-g', '--jump', '--goto'].includes(words[w]!)) addTarget(chain, words[w + 1]!);
      }
      return;
    }
    throw bad();
  });
  return finish(tables);
}

/**
 * `nft list ruleset` output (nft(8)): nested blocks "table FAMILY NAME {", "chain NAME {", a base chain's
 * "type ... hook ... priority ...; policy drop;" line, and rules whose verdict is "jump NAME", "goto NAME", accept,
 * drop, return or a NAT statement. Only the IPv4 ("ip") filter and nat tables are kept: the ones iptables-nft writes,
 * named after iptables' tables. Chain names that need quoting are printed in double quotes.
 */
export function parseNftRuleset(text: string, shownAs = 'nft list ruleset'): FirewallTables {
  const tables = emptyTables();
  const stack: ('table' | 'chain' | 'other')[] = [];
  let table: Building | null = null;
  let chain: FirewallChain | null = null;
  const unquote = (name: string) => name.replace(/^"(.*)"$/, '$1');
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const opens = line.endsWith('{');
    const head = opens ? line.slice(0, -1).trim() : line;
    if (line === '}' || line.startsWith('}')) {
      const closed = stack.pop();
      if (!closed) throw new HostError('malformed', `${shownAs} line ${i + 1}: a "}" closes nothing`);
      if (closed === 'chain') chain = null;
      if (closed === 'table') table = null;
      return;
    }
    if (opens) {
      const t = stack.length === 0 ? /^table\s+(\S+)\s+(\S+)$/.exec(head) : null;
      const c = stack.length === 1 && stack[0] === 'table' ? /^chain\s+(\S+)$/.exec(head) : null;
      if (t) {
        const name = unquote(t[2]!);
        table = t[1] === 'ip' && isTable(name) ? tables[name] : null;
        stack.push('table');
      } else if (c) {
        chain = table ? chainIn(table, unquote(c[1]!)) : null;
        stack.push('chain');
      } else if (stack.length === 0) {
        throw new HostError(
          'malformed',
          `${shownAs} line ${i + 1}: expected "table <family> <name> {", got ${JSON.stringify(line.slice(0, 120))}`,
        );
      } else {
        // Sets, maps, flowtables and other blocks: nothing Docker's chains depend on.
        stack.push('other');
      }
      return;
    }
    if (stack.length === 0)
      throw new HostError('malformed', `${shownAs} line ${i + 1}: a statement outside any table: ${JSON.stringify(line.slice(0, 120))}`);
    if (!chain || stack[stack.length - 1] !== 'chain') return;
    const policy = /\bpolicy\s+(\w+)\s*;/.exec(head);
    if (/^type\s/.test(head)) {
      if (policy) chain.policy = policy[1]!.toUpperCase();
      return;
    }
    const verdict = /\b(?:jump|goto)\s+("[^"]+"|\S+)/.exec(head);
    if (verdict) addTarget(chain, unquote(verdict[1]!));
    else if (/\bmasquerade\b/.test(head)) addTarget(chain, 'MASQUERADE');
  });
  if (stack.length > 0)
    throw new HostError('malformed', `${shownAs}: the output ends inside a block (${stack.length} not closed): truncated?`);
  return finish(tables);
}
