import os from 'node:os';
import path from 'node:path';
import type { Settings } from '../../shared/api';
import { type AuditOptions, runAudit } from '../audit';
import type { Host } from '../host/host';
import { VERSION } from '../version';
import { AuditRunner } from './audit-runner';
import { type ApiContext, checkOptionsFromSettings, type Handlers } from './context';
import { Exclusive } from './exclusive';
import { createFixHandlers } from './fix-handlers';
import { createPruneHandlers, measureDiskPicture, publishDisk } from './prune-handlers';
import { unmeasuredPicture } from './disk-summary';
import { chosenEndpoint } from './endpoint-choice';

function auditOptions(host: Host, settings: Settings, override: ApiContext['endpointOverride']): AuditOptions {
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
    if (report.engineError !== null)
      await publishDisk(ctx, unmeasuredPicture(report.engineError, new Date(), report.endpoint?.host ?? null));
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
      runner.run(async () => ({
        ...auditOptions(ctx.host, await ctx.settings.get(), ctx.endpointOverride),
        lastSeenConfig: await ctx.lastAudit.lastSeenConfig(),
      })),
    'report.last': async () => (await ctx.lastAudit.get())?.report ?? null,
    'report.head': async () => {
      const report = (await ctx.lastAudit.get())?.report;
      if (!report) return null;
      const { findings, ...head } = report;
      return { ...head, findingCount: findings.length };
    },
    'report.findings': async ({ offset, limit }) => {
      const report = (await ctx.lastAudit.get())?.report;
      return report
        ? { generatedAt: report.generatedAt, total: report.findings.length, findings: report.findings.slice(offset, offset + limit) }
        : null;
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
