import { randomUUID } from 'node:crypto';
import type { ApiErrorShape } from '../../shared/api';
import type { Report } from '../../shared/report';
import type { AuditOptions, AuditResult } from '../audit';
import { COLLECTOR_NAMES } from '../collect/collect';
import { ApiError } from './errors';
import type { EventSink } from './events';

export type RunAudit = (options: AuditOptions) => Promise<AuditResult>;

/**
 * Runs one audit at a time and reports its progress as audit.progress events. A second request while one runs joins
 * it (a double click, two windows) instead of starting a second set of collectors against the same daemon.
 */
export class AuditRunner {
  private current: Promise<Report> | null = null;

  constructor(
    private readonly audit: RunAudit,
    private readonly events: EventSink,
    /** Told of each finished audit before callers are answered (to keep it as the last report). */
    private readonly onResult: (result: AuditResult) => Promise<void>,
  ) {}

  get running(): boolean {
    return this.current !== null;
  }

  run(options: () => Promise<AuditOptions>): Promise<Report> {
    this.current ??= this.start(options).finally(() => {
      this.current = null;
    });
    return this.current;
  }

  private async start(options: () => Promise<AuditOptions>): Promise<Report> {
    const runId = randomUUID();
    const total = COLLECTOR_NAMES.length;
    let done = 0;
    this.events.emit('audit.progress', { phase: 'started', runId, startedAt: new Date().toISOString(), collectors: [...COLLECTOR_NAMES] });
    try {
      const result = await this.audit({
        ...(await options()),
        onCollector: (run) => {
          done++;
          this.events.emit('audit.progress', { phase: 'collector', runId, run, done, total });
          if (done === total) this.events.emit('audit.progress', { phase: 'evaluating', runId });
        },
      });
      await this.onResult(result);
      this.events.emit('audit.progress', {
        phase: 'finished',
        runId,
        durationMs: result.report.durationMs,
        score: result.report.summary.score,
      });
      return result.report;
    } catch (error) {
      // The audit turns a daemon that is down into findings; reaching here means the audit itself broke.
      const failure: ApiErrorShape = { code: 'failed', message: `The audit could not run: ${(error as Error).message}` };
      this.events.emit('audit.progress', { phase: 'failed', runId, error: failure });
      throw new ApiError(failure.code, failure.message, { cause: error });
    }
  }
}
