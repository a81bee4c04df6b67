// `dockhand fix apply` and `fix undo` print what the daemon restart stops before they do it, and take the choice to
// start those containers again (`--restart-containers`, the default, or `--no-restart-containers`): the built CLI
// against a real private dockerd restarted by the process controller, with a container of each kind running.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before } from 'node:test';
import { FixRecordSchema, UndoResultSchema } from '../../shared/fix';
import { dockhand } from '../../test/support/cli';
import { DEFAULT_ENGINE, forEachEngine, importBusybox, type PrivateDockerd, runningDockerd } from '../../test/support/dockerd';

const ORIGINAL = '{\n    "debug": false\n}\n';

forEachEngine(
  'dockhand fix apply / undo and the containers a restart stops',
  (engine, test) => {
    let daemon: PrivateDockerd;
    let env: NodeJS.ProcessEnv;
    const running = async () => (await daemon.docker(['ps', '--format', '{{.Names}}'])).split('\n').filter(Boolean).sort();

    before(async () => {
      daemon = await runningDockerd({ engine, daemonJson: ORIGINAL });
      const image = await importBusybox(daemon);
      // The busybox sleep ignores SIGTERM as pid 1: a short stop timeout keeps each daemon stop to a second or two.
      await daemon.docker(['run', '-d', '--name', 'web', '--stop-timeout', '1', '--restart', 'always', image]);
      await daemon.docker(['run', '-d', '--name', 'db', '--stop-timeout', '1', image]);
      env = {
        ...process.env,
        DOCKHAND_DAEMON_CONTROLLER: `process:${await daemon.controllerRecord()}`,
        DOCKHAND_STATE_DIR: path.join(daemon.dir, 'state'),
      };
    });
    after(async () => daemon?.stop());

    test('fix apply --no-restart-containers: the impact is printed before the apply; the container without a policy stays down, and the result says so', async () => {
      const r = await dockhand(['fix', 'apply', 'daemon.log-rotation', '--host', daemon.host, '--yes', '--no-restart-containers'], { env });
      assert.equal(r.code, 0, r.stderr);
      const impactAt = r.stderr.indexOf(
        'Containers: With live-restore off, all 2 running containers stop when the daemon restarts: 1 comes back by itself (restart policy always or unless-stopped), 1 stays down unless started again.',
      );
      assert.ok(impactAt >= 0, r.stderr);
      assert.ok(impactAt < r.stderr.indexOf('✓ backup'), 'printed before anything is done');
      assert.match(r.stderr, /\n {2}db {4}no {14}stops, stays down\n {2}web {3}always {10}stops, comes back by itself\n/);
      assert.match(r.stderr, /They stay down: --no-restart-containers was given\./);
      assert.match(
        r.stdout,
        /Containers after the restart: 1 container that was running before is down now: db \(not started again, as chosen\)\./,
      );
      assert.match(r.stdout, /\n {2}db {4}exited {3}left stopped, as chosen\n/);
      assert.deepEqual(await running(), ['web'], 'db stays down, web came back by its policy');
    });

    test('fix undo (the default, --restart-containers): prints the impact of its own restart, and every container that ran before runs again', async () => {
      await daemon.docker(['start', 'db']);
      const r = await dockhand(['fix', 'undo', '--host', daemon.host, '--format', 'json'], { env });
      assert.equal(r.code, 0, r.stderr);
      const result = UndoResultSchema.parse(JSON.parse(r.stdout));
      assert.equal(result.undone, true, result.message);
      assert.deepEqual(result.containers?.containers.map((c) => [c.name, c.state, c.how]).sort(), [
        ['db', 'running', 'started-again'],
        ['web', 'running', 'restarted-by-policy'],
      ]);
      assert.equal(result.containers?.startAgain, true);
      assert.deepEqual(await running(), ['db', 'web']);
      // In text, the same choice is said before the undo.
      const again = await dockhand(
        ['fix', 'apply', 'daemon.log-rotation', '--host', daemon.host, '--yes', '--format', 'json', '--restart-containers'],
        { env },
      );
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(
        FixRecordSchema.parse(JSON.parse(again.stdout)).containers?.containers.map((c) => c.state),
        ['running', 'running'],
      );
      const text = await dockhand(['fix', 'undo', '--host', daemon.host, '--no-restart-containers'], { env });
      assert.equal(text.code, 0, text.stderr);
      assert.match(
        text.stderr,
        /^Undo \S+: Rotate container logs \(max-size 10m, max-file 3\)\nContainers: With live-restore off, all 2 running containers stop/m,
      );
      assert.match(text.stdout, /db \(not started again, as chosen\)/);
      assert.deepEqual(await running(), ['web']);
    });
  },
  [DEFAULT_ENGINE],
);
