import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findPrune, findPruneCommand } from '../collect/scheduled-cleanup';
import { cronFile, cronLine, defaultScheduleOptions, scheduledArgv, systemdService, systemdTimer } from './prune-schedule';

describe('scheduled prune (unit texts)', () => {
  const o = defaultScheduleOptions({ dockhand: '/usr/local/bin/dockhand' });

  test('the systemd service runs the protected prune once and logs to the journal', () => {
    assert.equal(
      systemdService(o),
      `# dockhand-prune.service: written by Dockhand. Runs the scheduled Docker cleanup once; dockhand-prune.timer starts it.
# What it removed, skipped (and why) and freed goes to the journal: journalctl -u dockhand-prune
[Unit]
Description=Dockhand scheduled Docker cleanup (exact prune; running, in-use and dockhand.protect=true objects and volumes are kept)
Wants=docker.service
After=docker.service

[Service]
Type=oneshot
ExecStart=/usr/local/bin/dockhand prune apply --until 168h --yes
SyslogIdentifier=dockhand-prune
# A cleanup yields to real work.
Nice=10
IOSchedulingClass=idle
TimeoutStartSec=1h
`,
    );
  });

  test('the timer runs it daily, catching up after downtime', () => {
    const timer = systemdTimer(o);
    assert.match(timer, /^\[Timer\]\nOnCalendar=daily\nRandomizedDelaySec=1h\n# .*\nPersistent=true\n/m);
    assert.match(timer, /^\[Install\]\nWantedBy=timers\.target\n/m);
    assert.match(systemdTimer({ ...o, onCalendar: 'Sun *-*-* 03:00:00' }), /^OnCalendar=Sun \*-\*-\* 03:00:00$/m);
    assert.throws(() => systemdTimer({ ...o, onCalendar: 'daily\n[Service]' }), /line breaks/);
  });

  test('cron: one line with the same command, no overlap, appending what it freed to a log', () => {
    assert.equal(
      cronLine(o),
      '17 3 * * * root flock -n /run/dockhand-prune.lock /usr/local/bin/dockhand prune apply --until 168h --yes >> /var/log/dockhand-prune.log 2>&1',
    );
    assert.match(cronFile(o), /^SHELL=\/bin\/sh\nPATH=.*\n17 3 \* \* \* root flock/m);
  });

  test('custom values are quoted for each format: % doubled for systemd, escaped for cron', () => {
    const custom = defaultScheduleOptions({
      dockhand: '/opt/dock hand/bin/dockhand',
      protectLabel: 'keep%me',
      endpointArgs: ['--host', 'unix:///run/user/1000/docker.sock'],
    });
    assert.deepEqual(scheduledArgv(custom), [
      '/opt/dock hand/bin/dockhand',
      'prune',
      'apply',
      '--until',
      '168h',
      '--yes',
      '--protect-label',
      'keep%me',
      '--host',
      'unix:///run/user/1000/docker.sock',
    ]);
    assert.match(
      systemdService(custom),
      /^ExecStart="\/opt\/dock hand\/bin\/dockhand" prune apply --until 168h --yes --protect-label keep%%me --host unix:\/\/\/run\/user\/1000\/docker\.sock$/m,
    );
    assert.match(cronLine(custom), / '\/opt\/dock hand\/bin\/dockhand' prune apply --until 168h --yes --protect-label keep\\%me --host/);
    assert.throws(() => scheduledArgv({ ...o, dockhand: 'dockhand' }), /absolute path/);
    assert.throws(() => scheduledArgv({ ...o, until: 'weekly' }), /duration such as 168h/);
    assert.throws(() => cronLine({ ...o, cronTime: '3 * *' }), /five fields/);
  });

  test("the audit's scheduled-cleanup check recognises what it installs", () => {
    assert.equal(findPruneCommand(cronLine(o).split(' root ')[1]!), '/usr/local/bin/dockhand prune apply --until 168h --yes');
    assert.deepEqual(
      findPrune(cronLine(o).split(' root ')[1]!)?.scope,
      { volumes: false, wholeBuildCache: false, cleans: true },
      'and judges it no destructive cleanup',
    );
  });
});
