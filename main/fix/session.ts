// A fix session: one audit of the host, then plan / apply / undo / history against it. The CLI and the desktop app's
// handlers both use this; it holds everything host-specific (endpoint, controller, journal location).
import os from 'node:os';
import type { CheckContext } from '../../shared/check';
import type { Facts } from '../../shared/facts';
import type { FixPlan, FixRecord, FixStep, UndoResult } from '../../shared/fix';
import type { Status } from '../../shared/finding';
import type { Report } from '../../shared/report';
import { runAudit } from '../audit';
import { createEngineApi } from '../collect/engine-api';
import { LocalHost } from '../host/local-host';
import { type DaemonProof, proveDaemon } from '../host/trusted-daemon';
import { allowedDaemonJsonPaths, PlanRejectedError, validatePlan } from './allowlist';
import { type ApplyDeps, applyPlan, undoFix } from './apply';
import { invokingUser } from './caller';
import type { PlanScope } from './operation-rules';
import type { SelfCommand } from '../util/self-command';
import { type DaemonController, detectController } from './controllers';
import { stateDir } from '../util/state-dir';
import { listRecords } from './journal';
import { type FixEnv, type PlanRequest, planFix, preflightChanges } from './plan';
import type { RestartImpact } from '../../shared/restart-impact';
import { daemonOf, restartImpact } from './restart-impact';

export interface FixSessionOptions {
  endpoint?: { host?: string; context?: string };
  configFile?: string;
  timeoutMs?: number;
  context?: CheckContext;
  env?: FixEnv;
  stateDir?: string;
  /** process:/path/record.json (DOCKHAND_DAEMON_CONTROLLER). */
  controller?: string;
  timeouts?: Partial<ApplyDeps['timeouts']>;
  /** How to run this Dockhand from outside: its path is what a scheduled prune runs. */
  self?: SelfCommand;
  /** This is the root helper: plans are judged for the user who ran it (sudo/pkexec), not for root. */
  helper?: boolean;
}

export const DEFAULT_FIX_TIMEOUTS: ApplyDeps['timeouts'] = { restartMs: 90_000, upMs: 60_000, lockWaitMs: 30_000 };

export interface FixSession {
  facts: Facts;
  report: Report;
  controller: DaemonController;
  stateDir: string;
  /** The plan, with what its restart does to the running containers (restartImpact). */
  plan(request: PlanRequest): Promise<FixPlan>;
  /** What restarting the daemon to apply (or undo) this plan does to the containers running now; null: no restart. */
  impact(plan: FixPlan, direction: 'apply' | 'undo'): RestartImpact | null;
  apply(plan: unknown, onStep?: (step: FixStep) => void): Promise<FixRecord>;
  undo(id: string | undefined, force: boolean, onStep?: (step: FixStep) => void): Promise<UndoResult>;
  history(): Promise<{ records: FixRecord[]; damaged: string[] }>;
}

/** Whether a plan writes the daemon's configuration or restarts it: what root does only to a proven daemon. */
export function touchesDaemon(plan: Pick<FixPlan, 'operations'>): boolean {
  return plan.operations.some((op) =>
    ['daemon-json.set', 'daemon-json.unset', 'daemon.restart', 'daemon.reload', 'systemd-dropin.write', 'systemd-dropin.remove'].includes(
      op.op,
    ),
  );
}

/** The finding's status in a fresh audit: how a fix is verified. */
export function findingStatus(report: Report, plan: FixPlan): Status | null {
  const verification = plan.verification;
  if (verification.kind !== 'finding') return null;
  const found = report.findings.find(
    (f) => f.checkId === verification.checkId && (verification.target === null || f.result.target === verification.target),
  );
  // A per-target check that passes everywhere reports one untargeted pass.
  return found?.result.status ?? report.findings.find((f) => f.checkId === verification.checkId)?.result.status ?? null;
}

export async function openFixSession(options: FixSessionOptions = {}): Promise<FixSession> {
  const host = new LocalHost();
  const audit = () =>
    runAudit({ host, endpoint: options.endpoint, configFile: options.configFile, timeoutMs: options.timeoutMs, context: options.context });
  const { facts, report } = await audit();
  const env: FixEnv = options.env ?? { root: '/', home: os.homedir(), dockhand: options.self?.ok ? options.self.path : null };
  const state = options.stateDir ?? stateDir();
  const endpoint = facts.endpoint.ok ? facts.endpoint.value : null;
  const euid = process.geteuid?.() ?? 0;
  // Everything done to "the daemon" (which daemon.json, how to restart it, the pre-flight's flags) starts from this.
  const prove = (): Promise<DaemonProof> =>
    endpoint?.transport === 'unix' && process.platform === 'linux'
      ? proveDaemon(endpoint.host, { user: euid === 0 ? null : euid })
      : Promise.resolve({ ok: false, why: `${endpoint?.host ?? 'no endpoint'} is not a local unix socket` });
  const proof = await prove();
  const trusted = proof.ok ? proof.daemon : null;
  const controller = await detectController(facts, {
    override: options.controller ?? process.env.DOCKHAND_DAEMON_CONTROLLER,
    home: env.home,
    daemon: proof,
    reprove: prove,
    euid,
  });

  const ping = async () => {
    if (!endpoint) return false;
    const api = await createEngineApi(host, endpoint, 2000);
    try {
      await api.ping(2000);
      return true;
    } finally {
      api.close();
    }
  };
  const deps = (onStep?: (step: FixStep) => void): ApplyDeps => ({
    env,
    stateDir: state,
    controller,
    ping,
    verify: async (plan) => {
      const { report: now } = await audit();
      return { status: findingStatus(now, plan), daemonError: now.engineError };
    },
    // The session audited moments ago: that is the finding's state before the apply.
    statusBefore: (plan) => findingStatus(report, plan),
    timeouts: { ...DEFAULT_FIX_TIMEOUTS, ...options.timeouts },
    onStep,
  });

  const impact = (plan: FixPlan, direction: 'apply' | 'undo') =>
    plan.restart ? restartImpact(facts, plan, direction, daemonOf(endpoint?.host ?? plan.endpoint ?? 'no endpoint', proof)) : null;
  return {
    facts,
    report,
    controller,
    stateDir: state,
    impact,
    async plan(request) {
      const plan = await planFix(facts, report, request, controller, env);
      return { ...plan, restartImpact: impact(plan, 'apply') };
    },
    async apply(input, onStep) {
      const scope: PlanScope = options.helper ? { helper: true, caller: await invokingUser() } : { helper: false };
      const { plan, files } = await validatePlan(input, env, allowedDaemonJsonPaths(trusted, env.home, euid), env.dockhand ?? null, scope);
      const here = endpoint?.host ?? null;
      if (plan.endpoint !== here)
        throw new PlanRejectedError(
          `the plan was made for the daemon at ${plan.endpoint ?? 'no endpoint'}, not ${here ?? 'no endpoint'}: plan again here`,
        );
      // Root acts on a daemon only once the kernel has said which process it is.
      if (euid === 0 && touchesDaemon(plan) && !proof.ok) throw new PlanRejectedError(`refused: ${proof.why}`);
      const live = facts.engine.ok ? facts.engine.value.version : null;
      if (plan.engineVersion !== null && live !== null && plan.engineVersion !== live) {
        throw new PlanRejectedError(
          `refused: the plan was checked against dockerd ${plan.engineVersion}, but the daemon at ${here} runs ${live}: plan again here`,
        );
      }
      if (plan.restart && !controller.canRestart)
        throw new PlanRejectedError(`refused: the plan restarts the daemon, but ${controller.detail}`);
      // The pre-flight judges the change with the proven daemon's own flags, not with what the audit matched by name.
      preflightChanges(facts, plan.operations, files, trusted ? { flags: trusted.argv.slice(1) } : undefined);
      return applyPlan(plan, files, deps(onStep));
    },
    undo: (id, force, onStep) => undoFix(id, deps(onStep), force),
    history: () => listRecords(state),
  };
}
