import { useSyncExternalStore } from 'react';
import type { AppInfo, AuditProgress, DiskSummary, Settings, SettingsPatch } from '../../../shared/api';
import type { CollectorRun } from '../../../shared/facts';
import type { Report } from '../../../shared/report';
import { ApiCallError, type ApiClient, yieldToPage } from '../api/client';
import type { ConnectionState } from '../api/http-transport';
import { indexFindingsInTasks } from '../lib/findings-model';
import { apiErrorGuidance, type Guidance } from '../lib/guidance';
import { loadLastReport } from './load-report';

export interface AuditState {
  running: boolean;
  runId: string | null;
  /** Collector names in the order the audit announced them, and how each ended (absent while it runs). */
  collectors: string[];
  finished: Record<string, CollectorRun>;
  done: number;
  total: number;
  evaluating: boolean;
}

export interface AppState {
  loaded: boolean;
  info: AppInfo | null;
  settings: Settings | null;
  report: Report | null;
  /** The one disk picture (main/api/disk-summary.ts): Overview and Disk both show this, replaced on every disk.changed. */
  disk: DiskSummary | null;
  audit: AuditState;
  /** A failed call to the main process (not a daemon problem: those are in the report). */
  error: Guidance | null;
  connection: ConnectionState | null;
}

const IDLE_AUDIT: AuditState = { running: false, runId: null, collectors: [], finished: {}, done: 0, total: 0, evaluating: false };

/**
 * The UI's state and the actions that change it, outside React so transport events (progress, settings changed by
 * another window) land in one place. Components read slices with useAppState.
 */
export class AppStore {
  private state: AppState = {
    loaded: false,
    info: null,
    settings: null,
    report: null,
    disk: null,
    audit: IDLE_AUDIT,
    error: null,
    connection: null,
  };
  private readonly listeners = new Set<() => void>();
  /** This window asked for the running audit: its result arrives with the call, no need to fetch it again. */
  private ownRun = false;

  constructor(readonly client: ApiClient) {}

  getState = (): AppState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(patch: Partial<AppState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  private fail(error: unknown): void {
    const shape =
      error instanceof ApiCallError ? error.error : { code: 'failed' as const, message: (error as Error).message ?? String(error) };
    this.set({ error: apiErrorGuidance(shape, this.client.kind) });
  }

  /** Loads what the main process knows, listens to its events, and audits at once when there is no report yet. */
  async start(): Promise<void> {
    this.client.on('audit.progress', (p) => this.onProgress(p));
    this.client.on('settings.changed', (settings) => this.set({ settings }));
    // Measured again after an audit, a preview, a prune or Measure again, by this window or another: every screen follows.
    this.client.on('disk.changed', (disk) => this.set({ disk }));
    this.client.http?.onConnection((connection) => this.set({ connection }));
    try {
      const [info, settings, report, disk] = await Promise.all([
        this.client.call('app.info', {}),
        this.client.call('settings.get', {}),
        this.readReport(),
        this.client.call('disk.summary', {}),
      ]);
      // Rendering ten thousand findings is the next big piece of work: a task of its own.
      await yieldToPage();
      this.set({ loaded: true, info, settings, report, disk });
      if (info.auditRunning) this.set({ audit: { ...IDLE_AUDIT, running: true } });
      else if (!report) void this.runAudit();
    } catch (error) {
      this.set({ loaded: true });
      this.fail(error);
    }
  }

  async runAudit(): Promise<void> {
    if (this.state.audit.running && this.ownRun) return;
    this.ownRun = true;
    this.set({ error: null, audit: { ...IDLE_AUDIT, running: true } });
    try {
      const report = await this.client.call('audit.run', {});
      await indexFindingsInTasks(report, yieldToPage);
      // The disk picture follows as disk.changed once it is measured again.
      this.set({ report, audit: { ...this.state.audit, running: false, evaluating: false } });
    } catch (error) {
      this.set({ audit: { ...this.state.audit, running: false, evaluating: false } });
      this.fail(error);
    } finally {
      this.ownRun = false;
    }
  }

  private onProgress(p: AuditProgress): void {
    const audit = this.state.audit;
    switch (p.phase) {
      case 'started':
        this.set({ audit: { ...IDLE_AUDIT, running: true, runId: p.runId, collectors: p.collectors, total: p.collectors.length } });
        return;
      case 'collector':
        this.set({
          audit: {
            ...audit,
            running: true,
            runId: p.runId,
            done: p.done,
            total: p.total,
            finished: { ...audit.finished, [p.run.name]: p.run },
          },
        });
        return;
      case 'evaluating':
        this.set({ audit: { ...audit, evaluating: true } });
        return;
      case 'finished':
        // Another window (or the native menu) ran it: fetch what it found.
        if (!this.ownRun) void this.refresh();
        return;
      case 'failed':
        if (!this.ownRun) {
          this.set({ audit: { ...audit, running: false } });
          this.fail(new ApiCallError(p.error, 'audit.run'));
        }
        return;
    }
  }

  async refresh(): Promise<void> {
    try {
      const report = await this.readReport();
      this.set({ report, error: null, audit: { ...this.state.audit, running: false, evaluating: false } });
    } catch (error) {
      this.fail(error);
    }
  }

  /** The last report, read in pages and indexed a chunk per task: the screens that show it find its index ready. */
  private async readReport(): Promise<Report | null> {
    const report = await loadLastReport(this.client);
    if (report) await indexFindingsInTasks(report, yieldToPage);
    return report;
  }

  /** Measures the disk picture again; it arrives as disk.changed too (every window), and is set here at once. */
  async measureDisk(): Promise<DiskSummary> {
    const disk = await this.client.call('disk.usage', {});
    this.set({ disk });
    return disk;
  }

  /** Saves settings; resolves to an error message for the form, or null when saved. */
  async saveSettings(patch: SettingsPatch): Promise<string | null> {
    try {
      const settings = await this.client.call('settings.set', patch);
      this.set({ settings });
      return null;
    } catch (error) {
      if (error instanceof ApiCallError && error.error.code === 'invalid-input') return error.message.replace(/^settings\.set: /, '');
      this.fail(error);
      return error instanceof Error ? error.message : String(error);
    }
  }

  dismissError(): void {
    this.set({ error: null });
  }
}

export function useAppState<T>(store: AppStore, select: (state: AppState) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}
