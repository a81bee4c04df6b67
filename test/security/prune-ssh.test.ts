// Issue 15, "ssh endpoints corrupt queries": a prune over ssh:// lost `noprune=1` (the query's last character), so
// removing an image also removed its untagged parent, which the plan kept. Run for real with the built CLI: a test sshd
// on 127.0.0.1, the key in a real ssh-agent, `docker system dial-stdio` to a private dockerd.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PrunePlanSchema, PruneResultSchema } from '../../shared/prune';
import { dockhand } from '../support/cli';
import { importBusybox, type PrivateDockerd, runningDockerd } from '../support/dockerd';
import { startTestSshd, type TestSshd } from '../support/sshd';

describe('prune over ssh://', () => {
  let daemon: PrivateDockerd;
  let sshd: TestSshd;
  let stateDir: string;
  let parentId: string;

  before(async () => {
    daemon = await runningDockerd({ daemonJson: {} });
    stateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-state-'));
    await importBusybox(daemon, 'base:1');
    // A parent that only its child keeps (untagged): the plan removes the child; only noprune=1 keeps the parent then.
    await daemon.docker(['run', '--name', 'mkparent', 'base:1', 'sh', '-c', 'echo p > /p']);
    await daemon.docker(['commit', '--change', 'LABEL dockhand.protect=true', 'mkparent', 'parent:1']);
    await daemon.docker(['run', '--name', 'mkchild', 'parent:1', 'sh', '-c', 'echo c > /c']);
    await daemon.docker(['commit', '--change', 'LABEL dockhand.protect=false', 'mkchild', 'child:1']); // not inherited
    await daemon.docker(['rm', 'mkparent', 'mkchild']);
    parentId = await daemon.docker(['image', 'inspect', '--format', '{{.Id}}', 'parent:1']);
    await daemon.docker(['rmi', 'parent:1']); // untags it: the child keeps it as its parent
    sshd = await startTestSshd(daemon.host);
  });
  after(async () => {
    await sshd?.stop();
    await daemon?.stop();
    if (stateDir) await fs.rm(stateDir, { recursive: true, force: true });
  });

  test('plan and apply over ssh: the child goes, its untagged parent (not in the plan) stays (noprune=1 arrived)', async () => {
    // The system's ssh, as the docker CLI runs it, with this server's host key known and the key in the agent.
    const env = sshd.clientEnv({ ...process.env, DOCKHAND_STATE_DIR: stateDir });
    const file = path.join(stateDir, 'plan.json');
    const made = await dockhand(['prune', 'plan', '--host', sshd.host, '--images', 'unused', '-o', file, '--timeout', '30000'], { env });
    assert.equal(made.code, 0, made.stderr);
    const plan = PrunePlanSchema.parse(JSON.parse(await fs.readFile(file, 'utf8')));
    assert.equal(plan.engine.endpoint, sshd.host);
    assert.ok(
      plan.remove.some((r) => r.name === 'child:1'),
      'the child is planned for removal',
    );
    // An untagged parent is an intermediate image: not in the Engine's image list, so not in the plan at all.
    assert.ok(!plan.remove.some((r) => r.id === parentId), 'the parent is not planned for removal');

    const applied = await dockhand(['prune', 'apply', '--host', sshd.host, '--plan', file, '--format', 'json', '--timeout', '30000'], {
      env,
    });
    assert.equal(applied.code, 0, applied.stderr);
    const result = PruneResultSchema.parse(JSON.parse(applied.stdout));
    assert.equal(result.outcomes.find((o) => o.name === 'child:1')?.status, 'removed');
    assert.equal(await daemon.docker(['image', 'inspect', '--format', '{{.Id}}', parentId]), parentId, 'the parent is still there');
  });
});
