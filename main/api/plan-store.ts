import type { FixPlan } from '../../shared/fix';

/** How many plans one API keeps: enough for a few dialogs open in turn, small enough that old plans go. */
export const KEPT_PLANS = 32;

/**
 * The exact plans this API made, by id. The app is only ever shown a masked copy (a plan holds the bytes daemon.json
 * will hold, proxy credentials included), so fix.apply names the plan by id and the API applies the one it kept.
 * Bounded: the oldest plan goes first; a plan is kept until then, so an apply that was refused can be tried again.
 */
export class PlanStore {
  private readonly plans = new Map<string, FixPlan>();

  constructor(private readonly limit = KEPT_PLANS) {}

  keep(plan: FixPlan): void {
    this.plans.delete(plan.id);
    this.plans.set(plan.id, plan);
    for (const oldest of this.plans.keys()) {
      if (this.plans.size <= this.limit) break;
      this.plans.delete(oldest);
    }
  }

  /** The plan made under this id, or undefined when this API never made it or has let it go. */
  get(id: string): FixPlan | undefined {
    return this.plans.get(id);
  }
}
