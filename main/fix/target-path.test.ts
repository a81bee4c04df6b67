// Where a fix's root write really lands: real directories owned by a real unprivileged user (nobody), symlinked
// directories, sticky /tmp, FIFOs, and an offline root a link points out of. Run as root (the helper's case).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { type FixOperation } from '../../shared/fix';
import { NOBODY } from '../../test/support/elevation';
import { PlanRejectedError, validatePlan } from './allowlist';
import { computeFileChanges } from './plan';
import { checkTargetPath, TargetPathError } from './target-path';
import { handMadePlan } from '../../test/support/fix-plan';

const run = promisify(execFile);
const ROOT_ENV = { root: '/', home: '/root' };

describe(
  'checkTargetPath: the resolved path, as root',
  { skip: process.getuid?.() !== 0 && 'the ownership chain is checked for root' },
  () => {
    let dir: string;
    before(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-target-'));
      await fs.chmod(dir, 0o755);
    });
    after(async () => fs.rm(dir, { recursive: true, force: true }));

    const refused = (pattern: RegExp) => (e: Error) => e instanceof TargetPathError && pattern.test(e.message);
    /** A directory below the test's that the unprivileged user owns. */
    const nobodysDir = async (name: string) => {
      const made = path.join(dir, name);
      await fs.mkdir(made);
      await fs.chown(made, NOBODY.uid, NOBODY.gid);
      return made;
    };
    const asNobody = (script: string) => run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'sh', '-c', script]);

    test('a root-owned file under sticky /tmp, in a root-owned directory, resolves to itself', async () => {
      const file = path.join(dir, 'daemon.json');
      await fs.writeFile(file, '{}');
      assert.deepEqual(await checkTargetPath(ROOT_ENV, file), { path: file, resolved: file });
    });

    test('a symlinked daemon.json resolves to its target, which is what is checked', async () => {
      await fs.mkdir(path.join(dir, 'managed'));
      await fs.writeFile(path.join(dir, 'managed', 'daemon.json'), '{}');
      await fs.symlink('managed/daemon.json', path.join(dir, 'linked.json'));
      assert.equal((await checkTargetPath(ROOT_ENV, path.join(dir, 'linked.json'))).resolved, path.join(dir, 'managed', 'daemon.json'));

      const userDir = await nobodysDir('users-own');
      await fs.writeFile(path.join(userDir, 'profile'), '');
      await fs.symlink(path.join(userDir, 'profile'), path.join(dir, 'to-user.json'));
      await assert.rejects(checkTargetPath(ROOT_ENV, path.join(dir, 'to-user.json')), refused(/users-own is owned by uid 65534, not root/));
    });

    test('a link hop through a directory a user controls is refused, even when it ends in a root-owned one', async () => {
      const userDir = await nobodysDir('hop-user');
      await fs.mkdir(path.join(dir, 'hop-victim'));
      await fs.writeFile(path.join(dir, 'hop-victim', 'daemon.json'), '{}');
      await asNobody(`ln -s ${path.join(dir, 'hop-victim', 'daemon.json')} ${path.join(userDir, 'hop')}`);
      await fs.symlink(path.join(userDir, 'hop'), path.join(dir, 'hop.json'));
      await assert.rejects(checkTargetPath(ROOT_ENV, path.join(dir, 'hop.json')), refused(/hop-user is owned by uid 65534, not root/));
    });

    test('a directory a user controls anywhere on the path is refused, whatever it points to now', async () => {
      // The user's own directory, then a symlink the user swaps in for a directory of it: both refused.
      const home = await nobodysDir('home-nobody');
      await asNobody(`mkdir -p ${home}/.docker/desktop && echo '{}' > ${home}/.docker/desktop/settings.json`);
      const settings = path.join(home, '.docker/desktop/settings.json');
      await assert.rejects(checkTargetPath(ROOT_ENV, settings), refused(/home-nobody is owned by uid 65534, not root/));
      const victim = path.join(dir, 'victim');
      await fs.mkdir(victim);
      await fs.writeFile(path.join(victim, 'settings.json'), '{}');
      await asNobody(`mv ${home}/.docker/desktop ${home}/.docker/old && ln -s ${victim} ${home}/.docker/desktop`);
      // The link now leads into a root-owned directory, but it lies in one nobody controls: the lookup is refused there.
      await assert.rejects(checkTargetPath(ROOT_ENV, settings), refused(/home-nobody is owned by uid 65534, not root/));
    });

    test('a directory writable by others is refused; so is creating a directory inside sticky /tmp', async () => {
      const open = path.join(dir, 'open');
      await fs.mkdir(open);
      await fs.chmod(open, 0o777);
      await assert.rejects(checkTargetPath(ROOT_ENV, path.join(open, 'daemon.json')), refused(/open is writable by others \(mode 777\)/));
      const groupOpen = path.join(dir, 'group-open');
      await fs.mkdir(groupOpen);
      await fs.chown(groupOpen, 0, NOBODY.gid);
      await fs.chmod(groupOpen, 0o775);
      await assert.rejects(checkTargetPath(ROOT_ENV, path.join(groupOpen, 'daemon.json')), refused(/group-open is writable by others/));
      // Anyone could make /tmp/<name> first, as a link: a directory root would create there is refused.
      const fresh = path.join(os.tmpdir(), `dkh-not-yet-${process.pid}`, 'daemon.json');
      await assert.rejects(checkTargetPath(ROOT_ENV, fresh), refused(/is writable by others/));
      // Under a root-owned directory, missing directories are fine (a new drop-in's).
      assert.equal(
        (await checkTargetPath(ROOT_ENV, path.join(dir, 'new', 'deeper', 'x.conf'))).resolved,
        path.join(dir, 'new', 'deeper', 'x.conf'),
      );
    });

    test('a FIFO, a directory, an odd path are refused; an offline root does not let a link out', async () => {
      await run('mkfifo', [path.join(dir, 'fifo.json')]);
      await assert.rejects(checkTargetPath(ROOT_ENV, path.join(dir, 'fifo.json')), refused(/a FIFO: a fix writes regular files only/));
      await fs.mkdir(path.join(dir, 'dir.json'));
      await assert.rejects(checkTargetPath(ROOT_ENV, path.join(dir, 'dir.json')), refused(/is a directory/));
      await assert.rejects(checkTargetPath(ROOT_ENV, `${dir}/x/../daemon.json`), refused(/not a plain absolute path/));
      await assert.rejects(checkTargetPath(ROOT_ENV, 'etc/docker/daemon.json'), refused(/not a plain absolute path/));
      const offline = path.join(dir, 'offline');
      await fs.mkdir(path.join(offline, 'etc/docker'), { recursive: true });
      await fs.symlink('/etc/hostname', path.join(offline, 'etc/docker/daemon.json'));
      await assert.rejects(
        checkTargetPath({ root: offline, home: '/root' }, '/etc/docker/daemon.json'),
        refused(/resolves to \/etc\/hostname, outside/),
      );
    });

    test('validatePlan refuses a plan whose file resolves into a directory a user controls, before reading it', async () => {
      const home = path.join(dir, 'home-plan');
      // Root's own Desktop settings in a home only root writes: the one place root may edit them.
      const env = { root: '/', home };
      await fs.mkdir(path.join(home, '.docker/desktop'), { recursive: true });
      const file = path.join(home, '.docker/desktop/settings.json');
      await fs.writeFile(file, '{"a": false}\n');
      const operations: FixOperation[] = [{ op: 'desktop-settings.set', file, key: 'a', value: true }];
      const plan = handMadePlan(operations, await computeFileChanges(operations, env));
      assert.equal((await validatePlan(plan, env, new Set())).files.length, 1, 'root-owned all the way: accepted');
      await fs.chown(path.join(home, '.docker'), NOBODY.uid, NOBODY.gid);
      await assert.rejects(
        validatePlan(plan, env, new Set()),
        (e: Error) => e instanceof PlanRejectedError && /^refused: .*home-plan\/\.docker is owned by uid 65534, not root/.test(e.message),
      );
      // A FIFO would hang the read that computes the change: refused before it.
      await fs.rm(file);
      await run('mkfifo', [file]);
      await fs.chown(path.join(home, '.docker'), 0, 0);
      await assert.rejects(validatePlan(plan, env, new Set()), /settings\.json is not a regular file/);
    });
  },
);
