import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { FirewallTables } from '../../shared/facts/network';
import { HostError } from '../host/host';
import { parseIptablesSave, parseNftRuleset } from './firewall-rules';

// Recorded here from real dockerds, each in its own network namespace (iptables 1.8.9, nf_tables backend; nft 1.0.6):
// `nsenter --net=/proc/PID/ns/net iptables-save` and `... nft list ruleset`, right after the daemon started, and again
// after `iptables -F` in that namespace.
const FIXTURES = path.join(import.meta.dirname, '../../test/fixtures/network');
const fixture = (name: string) => fs.readFile(path.join(FIXTURES, name), 'utf8');

const names = (tables: FirewallTables, table: 'filter' | 'nat') => tables[table].map((c) => c.name);
const chain = (tables: FirewallTables, table: 'filter' | 'nat', name: string) => tables[table].find((c) => c.name === name);

describe('iptables-save and nft list ruleset of a real dockerd', () => {
  for (const engine of ['20.10', '28.5']) {
    test(`Engine ${engine}: both formats give the same chains, policies and jumps`, async () => {
      const save = parseIptablesSave(await fixture(`iptables-save-${engine}.txt`));
      const nft = parseNftRuleset(await fixture(`nft-ruleset-${engine}.txt`));
      for (const table of ['filter', 'nat'] as const) {
        // iptables-save lists every built-in chain of a table; iptables-nft creates only those it has rules for.
        const used = save[table].filter((c) => c.policy === null || c.targets.length > 0);
        assert.deepEqual(names(nft, table).sort(), used.map((c) => c.name).sort(), table);
        for (const c of used) {
          const other = chain(nft, table, c.name)!;
          assert.equal(other.policy, c.policy, `${table}/${c.name} policy`);
          // nft names the chains a rule jumps to and masquerade; iptables-save also names plain verdicts (ACCEPT, RETURN).
          const jumps = c.targets.filter((t) => save[table].some((x) => x.name === t) || t === 'MASQUERADE');
          assert.deepEqual(other.targets, jumps, `${table}/${c.name} jumps`);
        }
      }
      assert.equal(chain(save, 'filter', 'FORWARD')!.policy, 'DROP');
      assert.ok(chain(save, 'filter', 'FORWARD')!.targets.includes('DOCKER-USER'));
      assert.deepEqual(chain(save, 'nat', 'PREROUTING')!.targets, ['DOCKER']);
      assert.ok(chain(save, 'nat', 'POSTROUTING')!.targets.includes('MASQUERADE'));
      if (engine === '28.5') {
        assert.ok(['DOCKER-FORWARD', 'DOCKER-BRIDGE', 'DOCKER-CT'].every((c) => names(save, 'filter').includes(c)));
      } else {
        assert.ok(!names(save, 'filter').includes('DOCKER-FORWARD'));
        assert.ok(chain(save, 'filter', 'FORWARD')!.targets.includes('DOCKER-ISOLATION-STAGE-1'));
      }
    });
  }

  test('after `iptables -F`: the chains are still declared, FORWARD jumps nowhere', async () => {
    for (const parsed of [
      parseIptablesSave(await fixture('iptables-save-28.5-flushed.txt')),
      parseNftRuleset(await fixture('nft-ruleset-28.5-flushed.txt')),
    ]) {
      assert.ok(names(parsed, 'filter').includes('DOCKER-USER'));
      assert.deepEqual(chain(parsed, 'filter', 'FORWARD'), { name: 'FORWARD', policy: 'DROP', targets: [] });
      assert.deepEqual(chain(parsed, 'nat', 'PREROUTING')!.targets, ['DOCKER'], '-F flushes the filter table only');
    }
  });

  test('empty output (no table loaded, or after nft flush ruleset): no chains, not an error', () => {
    assert.deepEqual(parseIptablesSave(''), { filter: [], nat: [] });
    assert.deepEqual(parseNftRuleset(''), { filter: [], nat: [] });
  });

  test('other tables and families are left out: ip6, inet, mangle, raw', () => {
    const nft = parseNftRuleset(
      'table ip6 filter {\n\tchain DOCKER {\n\t}\n}\ntable inet firewalld {\n\tset s {\n\t\ttype ipv4_addr\n\t}\n\tchain filter_FORWARD {\n\t\ttype filter hook forward priority filter + 10; policy accept;\n\t\tjump filter_FORWARD_POLICIES\n\t}\n}\n',
    );
    assert.deepEqual(nft, { filter: [], nat: [] });
    const save = parseIptablesSave('*mangle\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j MARK --set-mark 1\nCOMMIT\n');
    assert.deepEqual(save, { filter: [], nat: [] });
  });

  test('malformed input is a malformed error with the line, never a crash', () => {
    const throwsMalformed = (fn: () => unknown, message: RegExp) =>
      assert.throws(fn, (e: unknown) => e instanceof HostError && e.code === 'malformed' && message.test(e.message));
    throwsMalformed(
      () => parseIptablesSave('*filter\n:FORWARD DROP [0:0]\nhello world\nCOMMIT\n'),
      /line 3: not iptables-save output: "hello world"/,
    );
    throwsMalformed(() => parseIptablesSave('-A FORWARD -j DOCKER-USER\n'), /line 1: not iptables-save output/);
    throwsMalformed(() => parseNftRuleset('table ip filter {\n\tchain FORWARD {\n'), /ends inside a block \(2 not closed\): truncated/);
    throwsMalformed(() => parseNftRuleset('}\n'), /line 1: a "}" closes nothing/);
    throwsMalformed(() => parseNftRuleset('flush ruleset\n'), /line 1: a statement outside any table/);
    // Huge input: a long ruleset is read in one pass.
    const many = `*filter\n:FORWARD DROP [0:0]\n${Array.from({ length: 100_000 }, (_, i) => `-A FORWARD -s 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32 -j ACCEPT`).join('\n')}\nCOMMIT\n`;
    assert.deepEqual(chain(parseIptablesSave(many), 'filter', 'FORWARD')!.targets, ['ACCEPT']);
  });
});
