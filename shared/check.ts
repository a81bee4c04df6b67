import type { Facts } from './facts';
import type { CheckMeta, CheckResult } from './finding';

/** What a check's `evaluate` may be told beyond the facts: user-supplied expectations (internal domains, thresholds). */
export interface CheckContext {
  readonly options: Readonly<Record<string, unknown>>;
}

/** A check's answer: one result, or one per target (each container, each registry). */
export type CheckOutcome = CheckResult | CheckResult[];

export interface Check extends CheckMeta {
  /**
   * When the check applies (rootless, Desktop, WSL, userns...): returns null when it does, or why not, so the check is
   * `skipped` with that reason instead of giving a false positive. Platforms are checked before this.
   */
  applies?(facts: Facts): string | null;
  /** Pure: a function of the facts only. Must not throw; the runner still guards it and turns a throw into `error`. */
  evaluate(facts: Facts, context: CheckContext): CheckOutcome;
}
