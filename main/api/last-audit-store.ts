import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { DiskSummarySchema } from '../../shared/api';
import { ReportSchema, type Report } from '../../shared/report';
import type { LastSeenConfig } from '../collect/context';
import { SerialQueue } from '../util/serial-queue';
import { PRIVATE, writeFile } from '../util/write-file';

/** The daemon.json a daemon was running with at the last audit that reached it (its --config-file). */
export const SeenConfigSchema = z.object({ path: z.string(), seenAt: z.string() });
export type SeenConfig = z.infer<typeof SeenConfigSchema>;

export const LastAuditSchema = z.object({
  report: ReportSchema,
  /** The last disk picture (main/api/disk-summary.ts); null until one was measured. */
  disk: DiskSummarySchema.nullable(),
  /** By endpoint: judged when that daemon is down, instead of the default path it never read. */
  seenConfigs: z.record(z.string(), SeenConfigSchema).optional(),
});
export type LastAudit = z.infer<typeof LastAuditSchema>;

/**
 * The last audit (report and disk summary, both already masked), kept on disk so the app opens on the last known state
 * instead of an empty screen. A file from another schema version, or damaged, is ignored: the next audit replaces it.
 */
export class LastAuditStore {
  private cached: Promise<LastAudit | null> | null = null;
  private readonly queue = new SerialQueue();

  constructor(readonly file: string) {}

  get(): Promise<LastAudit | null> {
    this.cached ??= this.load();
    return this.cached;
  }

  /** Keeps the audit in memory at once; the write follows (a failed write only loses it across a restart). */
  async save(audit: LastAudit): Promise<void> {
    this.cached = Promise.resolve(audit);
    // Compact: a report over a thousand containers is tens of MB indented.
    await this.queue.run(() => writeFile(this.file, JSON.stringify(audit), PRIVATE));
  }

  /**
   * A new report: the disk picture stays until it is measured again, and what the report shows of the daemon's
   * daemon.json is remembered for its endpoint when the daemon itself said which file it runs with.
   */
  async saveReport(report: Report): Promise<void> {
    const last = await this.get();
    await this.save({ report, disk: last?.disk ?? null, seenConfigs: rememberConfig(last?.seenConfigs ?? {}, report) });
  }

  /** A new disk picture, kept with the last report (none yet: there is nothing to keep it with). */
  async saveDisk(disk: LastAudit['disk']): Promise<void> {
    const last = await this.get();
    if (last) await this.save({ ...last, disk });
  }

  /** For the next audit: the file each endpoint's daemon was last seen running with, and since when. */
  async lastSeenConfig(): Promise<LastSeenConfig> {
    const seen = (await this.get())?.seenConfigs ?? {};
    return (endpoint) => {
      const s = Object.hasOwn(seen, endpoint) ? seen[endpoint] : undefined;
      if (!s) return null;
      return {
        path: s.path,
        reason: `the daemon is not running: it was last seen started with --config-file ${s.path} (audit of ${s.seenAt})`,
      };
    };
  }

  private async load(): Promise<LastAudit | null> {
    try {
      const parsed = LastAuditSchema.safeParse(JSON.parse(await fs.readFile(this.file, 'utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }
}

/** The endpoint's entry after this report: set from a running daemon's --config-file, dropped when it runs without one. */
export function rememberConfig(
  seen: Record<string, SeenConfig>,
  report: Pick<Report, 'endpoint' | 'daemonConfig' | 'engineError' | 'generatedAt'>,
): Record<string, SeenConfig> {
  const endpoint = report.endpoint?.host;
  const config = report.daemonConfig;
  if (!endpoint || !config || report.engineError !== null) return seen;
  const next = { ...seen };
  if (config.foundBy === 'process-flag') next[endpoint] = { path: config.path, seenAt: report.generatedAt };
  else if (config.foundBy !== 'last-seen') delete next[endpoint];
  return next;
}
