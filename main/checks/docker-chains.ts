import type { Check } from '../../shared/check';
import type { FirewallChain, IptablesFact } from '../../shared/facts/network';
import type { Evidence } from '../../shared/finding';
import type { Source } from '../../shared/source';
import { compareMinor } from '../preflight/engine-version';
import { daemonView, settingBoolean } from '../check-kit/daemon-view';
import { dockerFirewallDoesNotApply } from './network-helpers';
import { docs } from './references';
import { fail, need, pass, skipped } from '../check-kit/result';

/** A chain Docker creates and the chains that must jump to it, per table, for one range of engine versions. */
interface ExpectedChain {
  table: 'filter' | 'nat';
  chain: string;
  /** Built-in chains whose rules must send packets into it: the hooks that make the chain matter at all. */
  from: string[];
}

/**
 * Docker's IPv4 chains and the jumps into them, as the engines create them at start (checked on the real engines in
 * main/checks/docker-chains.test.ts). Every engine: DOCKER-USER (the user's, evaluated first), DOCKER (published ports,
 * filter and nat), DOCKER-ISOLATION-STAGE-1/2 (no traffic between bridge networks). Up to 27.x FORWARD jumps to
 * DOCKER-USER and DOCKER-ISOLATION-STAGE-1 (and to DOCKER per bridge); from 28.0, FORWARD jumps to DOCKER-USER and
 * DOCKER-FORWARD, which dispatches to DOCKER-CT (established connections), DOCKER-ISOLATION-STAGE-1 and DOCKER-BRIDGE.
 */
function expectedChains(engineVersion: string): ExpectedChain[] {
  let since28 = true;
  try {
    since28 = compareMinor(engineVersion, '28.0') >= 0;
  } catch {
    // An engine version that is not a version: the newest rules, as the daemon view assumes.
  }
  const filter = (chain: string, from: string[] = []): ExpectedChain => ({ table: 'filter', chain, from });
  const perVersion = since28
    ? [
        filter('DOCKER-FORWARD', ['FORWARD']),
        filter('DOCKER'),
        filter('DOCKER-BRIDGE'),
        filter('DOCKER-CT'),
        filter('DOCKER-ISOLATION-STAGE-1'),
      ]
    : [filter('DOCKER'), filter('DOCKER-ISOLATION-STAGE-1', ['FORWARD'])];
  return [
    filter('DOCKER-USER', ['FORWARD']),
    ...perVersion,
    filter('DOCKER-ISOLATION-STAGE-2'),
    { table: 'nat', chain: 'DOCKER', from: ['PREROUTING', 'OUTPUT'] },
  ];
}

function rulesSource(fw: IptablesFact): Source {
  return { kind: 'command', command: fw.command };
}

export interface ChainGaps {
  missingChains: string[];
  missingJumps: string[];
}

/** What of Docker's expected chains and jumps the tables lack, each as "table/CHAIN" or "table/FROM -> CHAIN". */
function chainGaps(tables: NonNullable<IptablesFact['tables']>, expected: ExpectedChain[]): ChainGaps {
  const find = (table: 'filter' | 'nat', name: string): FirewallChain | undefined => tables[table].find((c) => c.name === name);
  const missingChains: string[] = [];
  const missingJumps: string[] = [];
  for (const e of expected) {
    if (!find(e.table, e.chain)) missingChains.push(`${e.table}/${e.chain}`);
    for (const from of e.from) {
      if (!find(e.table, from)?.targets.includes(e.chain)) missingJumps.push(`${e.table}/${from} -> ${e.chain}`);
    }
  }
  return { missingChains, missingJumps };
}

export const networkDockerChains: Check = {
  id: 'network.docker-chains-missing',
  title: "Docker's iptables chains and the jumps into them are in place",
  category: 'network',
  severity: 'high',
  rationale:
    "dockerd creates its iptables chains (DOCKER, DOCKER-USER, DOCKER-ISOLATION-STAGE-1/2, and from Engine 28.0 DOCKER-FORWARD, DOCKER-BRIDGE and DOCKER-CT) and the rules in FORWARD, PREROUTING and OUTPUT that jump into them once, when it starts; it never checks them again. A firewall reload that rebuilds the ruleset (`firewall-cmd --reload`, `systemctl restart firewalld`, `iptables -F`/`-X`, `nft flush ruleset`, an iptables-restore of a saved file) removes them: with the FORWARD policy at DROP (Docker's default) every container loses the network, and in every case published ports stop answering and networks are no longer isolated, until the daemon restarts. High, because everything in containers is cut off while `docker ps` shows them healthy.",
  remediation:
    'Restart the daemon: `systemctl restart docker` (`systemctl reload docker`, i.e. SIGHUP, does not recreate the rules). Containers without live-restore stop and start again. To keep it from happening again, let the firewall tool leave Docker\'s rules alone: with firewalld, use its nftables backend (it then rebuilds only its own table) and put docker0 in the "docker" zone; with a saved iptables ruleset, restore it before dockerd starts, never after.',
  references: [
    docs('Packet filtering and firewalls', 'https://docs.docker.com/engine/network/packet-filtering-firewalls/'),
    docs('Docker with iptables', 'https://docs.docker.com/engine/network/firewall-iptables/'),
  ],
  cis: null,
  platforms: ['linux'],
  fixId: 'daemon.restart',
  applies: (facts) => dockerFirewallDoesNotApply(facts, 'it creates no chains to lose'),
  evaluate(facts) {
    const fw = need(facts.iptables, "the daemon's iptables rules");
    // A daemon that is not running has no chains yet: it creates them when it starts.
    need(facts.info, 'the running daemon');
    if (!fw.tables) return skipped('this snapshot records only the FORWARD policy, not the whole rule set (taken by an older Dockhand)');
    const view = daemonView(facts);
    const expected = expectedChains(view.engineVersion);
    const { missingChains, missingJumps } = chainGaps(fw.tables, expected);
    const source = rulesSource(fw);
    const evidence: Evidence[] = [
      { label: 'engine', value: view.engineVersion, source: { kind: 'api', call: 'GET /version' } },
      ...(fw.netns
        ? [
            {
              label: 'network namespace read',
              value:
                fw.netns.daemonNetns === fw.netns.ownNetns
                  ? `net:[${fw.netns.daemonNetns}], the daemon's and Dockhand's`
                  : `net:[${fw.netns.daemonNetns}], dockerd's (pid ${fw.netns.daemonPid}); Dockhand runs in net:[${fw.netns.ownNetns}]`,
              source: { kind: 'file', path: `/proc/${fw.netns.daemonPid}/ns/net` } as Source,
            },
          ]
        : []),
      { label: 'FORWARD policy', value: fw.forwardPolicy ?? 'no FORWARD chain (nothing filters forwarded packets)', source },
      { label: 'filter chains', value: fw.tables.filter.map((c) => c.name), source },
      { label: 'FORWARD jumps to', value: fw.tables.filter.find((c) => c.name === 'FORWARD')?.targets ?? [], source },
      { label: 'nat chains', value: fw.tables.nat.map((c) => c.name), source },
    ];
    if (missingChains.length === 0 && missingJumps.length === 0) {
      return pass(
        `Every chain Engine ${view.engineVersion} creates is in place, with the jumps into it (${expected.map((e) => `${e.table}/${e.chain}`).join(', ')}).`,
        { evidence },
      );
    }
    // With the nat table flushed too, containers' outgoing packets leave with their private source address.
    const masqueradeLost =
      settingBoolean(view.setting('ip-masq')) !== false &&
      !fw.tables.nat.find((c) => c.name === 'POSTROUTING')?.targets.includes('MASQUERADE');
    const cut =
      fw.forwardPolicy === 'DROP'
        ? 'the FORWARD policy is DROP, so containers have no network at all'
        : `${masqueradeLost ? "containers' outgoing connections are no longer masqueraded (they reach nothing beyond this host), " : ''}published ports do not answer and networks are not isolated from each other`;
    const what = [
      missingChains.length > 0 ? `chains ${missingChains.join(', ')}` : '',
      missingJumps.length > 0 ? `jumps ${missingJumps.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(' and the ');
    return fail(`Docker's firewall rules are gone (missing: the ${what}), as after a firewall reload: ${cut} until the daemon restarts.`, {
      evidence: [
        ...evidence,
        ...missingChains.map((c) => ({ label: 'missing chain', value: c, source })),
        ...missingJumps.map((j) => ({ label: 'missing jump', value: j, source })),
      ],
      fix: { id: 'daemon.restart', params: {} },
    });
  },
};
