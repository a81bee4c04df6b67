import os from 'node:os';
import path from 'node:path';
import type { AppInfo, ChannelName, ChannelOutput, ChannelParsedInput, Settings } from '../../shared/api';
import { type AuditOptions, runAudit } from '../audit';
import type { Host } from '../host/host';
import { VERSION } from '../version';
import type { SelfCommand } from '../util/self-command';
import type { FixSessionOptions } from '../fix/session';
import { AuditRunner, type RunAudit } from './audit-runner';
import { Exclusive } from './exclusive';
import { createFixHandlers } from './fix-handlers';
import { createPruneHandlers, measureDiskPicture, publishDisk } from './prune-handlers';
import { unmeasuredPicture } from './disk-summary';
import { chosenEndpoint, type EndpointOverride } from './endpoint-choice';
import type { EventSink } from './events';
import type { LastAuditStore } from './last-audit-store';
import type { SettingsStore } from './settings-store';

/** One function per channel: typed by the channel map, given inputs already validated, outputs validated after. */
export type Handlers = { [C in ChannelName]: (input: ChannelParsedInput<C>) => Promise<ChannelOutput<C>> };

export interface ApiContext {
  transport: AppInfo['transport'];
  host: Host;
  settings: SettingsStore;
  lastAudit: LastAuditStore;
  events: EventSink;
  configDir: string;
  /** `dockhand serve -H/-c`: wins over the saved endpoint for this session. */
  endpointOverride?: EndpointOverride;
  runtime?: { electron: string | null; chrome: string | null };
  /** The audit to run; tests inject a failing one. */
  audit?: RunAudit;
  /** How the elevated fix helper is started (absent or not ok: elevation is refused with what to do instead). */
  self?: SelfCommand;
  /** The fix journal (default: DOCKHAND_STATE_DIR, else the system's state directory). */
  fixStateDir?: string;
  fixTimeouts?: FixSessionOptions['timeouts'];
}

/** What the checks are told beyond the facts, from the settings (the CLI's --internal-domain, --trusted-user, --server). */
export function checkOptionsFromSettings(settings: Settings): Record<string, unknown> {
  return {
    ...(settings.internalDomains.length > 0 && { internalDomains: settings.internalDomains }),
    ...(settings.trustedUsers.length > 0 && { trustedDockerUsers: settings.trustedUsers }),
    ...(settings.server && { server: true }),
  };
}

export function auditOptions(host: Host, settings: Settings, override: ApiContext['endpointOverride']): AuditOptions {
  return {
    host,
    endpoint: chosenEndpoint(settings, override),
    timeoutMs: settings.timeoutMs,
    context: { options: checkOptionsFromSettings(settings) },
  };
}

export function createHandlers(ctx: ApiContext): Handlers {
  const runner = new AuditRunner(ctx.audit ?? runAudit, ctx.events, async ({ report }) => {
    await ctx.lastAudit.saveReport(report);
    // The disk picture is measured again after every audit, apart from it (per-layer sizes take a call per image, and
    // the report need not wait for them); it reaches every screen as disk.changed. A daemon that is down: no figures.
    if (report.engineError !== null) await publishDisk(ctx, unmeasuredPicture(report.engineError, new Date(), report.endpoint?.host ?? null));
    else void measureDiskPicture(ctx).catch(() => undefined);
  });
  // Fixes, undos and prunes change the host: one at a time, across every window.
  const exclusive = new Exclusive();
  return {
    ...createFixHandlers(ctx, exclusive),
    ...createPruneHandlers(ctx, exclusive),
    'app.info': async () => {
      const user = ctx.host.user();
      return {
        name: 'Dockhand',
        version: VERSION,
        transport: ctx.transport,
        host: { hostname: ctx.host.hostname(), platform: ctx.host.platform, arch: os.arch(), user: user.username },
        runtime: { node: process.versions.node, electron: ctx.runtime?.electron ?? null, chrome: ctx.runtime?.chrome ?? null },
        paths: { configDir: ctx.configDir, settingsFile: path.join(ctx.configDir, path.basename(ctx.settings.file)) },
        endpointOverride: ctx.endpointOverride ?? null,
        auditRunning: runner.running,
      };
    },
    'audit.run': () =>
      runner.run(async () => ({ ...auditOptions(ctx.host, await ctx.settings.get(), ctx.endpointOverride), lastSeenConfig: await ctx.lastAudit.lastSeenConfig() })),
    'report.last': async () => (await ctx.lastAudit.get())?.report ?? null,
    'report.head': async () => {
      const report = (await ctx.lastAudit.get())?.report;
      if (!report) return null;
      const { findings, ...head } = report;
      return { ...head, findingCount: findings.length };
    },
    'report.findings': async ({ offset, limit }) => {
      const report = (await ctx.lastAudit.get())?.report;
      return report ? { generatedAt: report.generatedAt, total: report.findings.length, findings: report.findings.slice(offset, offset + limit) } : null;
    },
    'disk.summary': async () => (await ctx.lastAudit.get())?.disk ?? null,
    'host.stats': async () => (await import('./host-stats')).hostStats((await ctx.lastAudit.get())?.disk ?? null),
    'settings.get': () => ctx.settings.get(),
    'settings.set': async (patch) => {
      const next = await ctx.settings.set(patch);
      ctx.events.emit('settings.changed', next);
      return next;
    },
  };
}
