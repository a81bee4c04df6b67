// test-needs: build — packs dist/ with electron-builder
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, promises as fs, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { listPackage } from '@electron/asar';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { decodeIcnsChunks, ICNS_TYPES } from './icons/icns';
import { decodeIcoSizes, pngSize } from './icons/ico';

interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  extraResources: { from: string; to: string }[];
  directories: { buildResources: string };
  linux: { target: string[]; icon: string };
  mac: { target: string[]; icon: string };
  win: { target: string[]; icon: string };
}
const config = parse(readFileSync('electron-builder.yml', 'utf8')) as BuilderConfig;
/** The libraries the CLI bundle requires from dist/vendor (scripts/build.mjs), by package name. */
const vendored = () =>
  readdirSync(path.join('dist', 'vendor'))
    .filter((f) => f.endsWith('.cjs'))
    .map((f) => f.slice(0, -'.cjs'.length));
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

test('electron-builder.yml: app id, targets for Linux, macOS and Windows, and the files the app runs from', () => {
  assert.equal(config.appId, 'dev.dockhand.app');
  assert.equal(config.productName, 'Dockhand');
  assert.deepEqual(config.linux.target, ['deb', 'rpm', 'AppImage']);
  assert.deepEqual(config.mac.target, ['dmg']);
  assert.deepEqual(config.win.target, ['nsis']);
  assert.deepEqual(config.files, [
    'dist/electron/**/*',
    'dist/renderer/**/*',
    'dist/cli.cjs',
    'dist/vendor/*.cjs',
    'bin/dockhand.cjs',
    'package.json',
    '!**/*.map',
  ]);
  assert.equal(config.directories.buildResources, 'build');
  assert.equal(config.asar, true);
  // The command line (the root helper, a scheduled prune) runs from real files, through the launcher.
  // The CLI's lazily required libraries (scripts/build.mjs) are unpacked beside it.
  assert.deepEqual(config.asarUnpack, ['dist/cli.cjs', 'dist/vendor/*.cjs', 'bin/dockhand.cjs']);
  assert.deepEqual(config.extraResources, [{ from: 'build/bin/dockhand', to: 'bin/dockhand' }]);
});

test("electron-builder.yml is valid against electron-builder's own configuration schema", () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const schema = JSON.parse(readFileSync('node_modules/app-builder-lib/scheme.json', 'utf8'));
  assert.ok(ajv.validate(schema, config), ajv.errorsText());
  assert.equal(ajv.validate(schema, { ...config, linux: { ...config.linux, targett: ['deb'] } }), false, 'a misspelt key is caught');
});

test('package.json points electron-builder at the built main process, and `npm run dist` builds first', () => {
  assert.equal(pkg.main, 'dist/electron/main.cjs');
  assert.match(pkg.scripts.dist, /^node scripts\/build\.mjs && electron-builder /);
  assert.ok(pkg.devDependencies.electron, 'electron is a devDependency (electron-builder reads its version)');
  assert.ok(pkg.devDependencies['electron-builder']);
  // npm test builds before it tests: the files the package needs exist.
  for (const file of [pkg.main, 'dist/electron/preload.cjs', 'dist/renderer/index.html', 'dist/electron/tray/ok.png'])
    assert.ok(existsSync(file), file);
});

test('icons: a PNG per Linux size, an .icns and an .ico holding real PNGs of the sizes they claim', () => {
  const linux = readdirSync(config.linux.icon).filter((f) => f.endsWith('.png'));
  assert.ok(linux.length >= 6, linux.join(', '));
  for (const file of linux) {
    const [w, h] = file.replace('.png', '').split('x').map(Number);
    assert.deepEqual(pngSize(readFileSync(`${config.linux.icon}/${file}`)), { width: w, height: h }, file);
  }
  assert.ok(linux.includes('512x512.png'), 'AppImage and deb want a 512 px icon');

  const icns = decodeIcnsChunks(readFileSync(config.mac.icon));
  assert.deepEqual(
    icns.map((c) => c.type),
    ICNS_TYPES.map((t) => t.type),
  );
  for (const chunk of icns) {
    const pixels = ICNS_TYPES.find((t) => t.type === chunk.type)!.pixels;
    assert.deepEqual(pngSize(chunk.png), { width: pixels, height: pixels }, chunk.type);
  }

  const ico = decodeIcoSizes(readFileSync(config.win.icon));
  assert.deepEqual(
    ico.map((i) => i.size),
    [16, 24, 32, 48, 64, 128, 256],
  );
  assert.ok(ico.every((i) => i.isPng));

  for (const state of ['ok', 'warn', 'fail', 'unknown']) {
    assert.deepEqual(pngSize(readFileSync(`build/tray/${state}.png`)), { width: 16, height: 16 }, state);
    assert.deepEqual(pngSize(readFileSync(`build/tray/${state}@2x.png`)), { width: 32, height: 32 }, state);
  }
});

test("packed for Linux (electron-builder, a stand-in Electron): the archive holds the app, and the `dockhand` launcher runs the CLI under the app's Electron as Node", async () => {
  // Electron cannot be downloaded here, so electron-builder packs a stand-in "Electron" (a script that is Node when
  // ELECTRON_RUN_AS_NODE=1, as the real one is, and refuses otherwise). Everything else is the real packer and layout.
  const run = promisify(execFile);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-pack-'));
  try {
    const electron = path.join(dir, 'electron-dist');
    await fs.mkdir(electron);
    await fs.writeFile(
      path.join(electron, 'electron'),
      `#!/bin/sh\n[ "$ELECTRON_RUN_AS_NODE" = 1 ] || { echo "stand-in Electron: no display here" >&2; exit 99; }\nexec ${process.execPath} "$@"\n`,
      { mode: 0o755 },
    );
    await fs.writeFile(path.join(electron, 'version'), pkg.devDependencies.electron.replace(/^\^/, ''));
    const out = path.join(dir, 'out');
    await run(
      process.execPath,
      [
        'node_modules/electron-builder/cli.js',
        '--config',
        'electron-builder.yml',
        '--linux',
        'dir',
        `-c.electronDist=${electron}`,
        `-c.directories.output=${out}`,
      ],
      { env: { ...process.env, CI: '1' } },
    );
    const app = path.join(out, 'linux-unpacked');
    const resources = path.join(app, 'resources');

    const archived = new Set(listPackage(path.join(resources, 'app.asar'), { isPack: false }).map((f) => f.replaceAll('\\', '/')));
    for (const file of [
      '/package.json',
      '/dist/electron/main.cjs',
      '/dist/electron/preload.cjs',
      '/dist/renderer/index.html',
      '/dist/electron/tray/ok.png',
      '/node_modules/dockerode/package.json',
    ])
      assert.ok(archived.has(file), file);
    assert.ok(![...archived].some((f) => f.endsWith('.map')), 'no source maps');
    for (const file of [
      'app.asar.unpacked/dist/cli.cjs',
      'app.asar.unpacked/bin/dockhand.cjs',
      ...vendored().map((name) => `app.asar.unpacked/dist/vendor/${name}.cjs`),
    ])
      assert.ok(existsSync(path.join(resources, file)), file);
    const launcher = path.join(resources, 'bin', 'dockhand');
    assert.equal((await fs.stat(launcher)).mode & 0o111, 0o111, 'the launcher is executable');

    // Through a symlink, as a user would put it on PATH: the launcher finds the app from its own real path.
    const link = path.join(dir, 'dockhand');
    await fs.symlink(launcher, link);
    assert.equal((await run(link, ['--version'])).stdout.trim(), pkg.version);
    // What a scheduled prune (and the root helper) runs is the launcher, not the script inside the app.
    const units = (await run(link, ['prune', 'schedule'])).stdout;
    assert.match(units, new RegExp(`ExecStart=${launcher.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} prune apply --until 168h --yes`));
    // A policy file is read with yaml and checked with zod, which the unpacked CLI requires from its vendor directory.
    const policy = path.join(dir, 'policy.yaml');
    await fs.writeFile(policy, 'version: 1\nwaivers: [\n');
    await assert.rejects(
      run(link, ['audit', '--host', `unix://${path.join(dir, 'no-daemon.sock')}`, '--policy', policy]),
      (error: { code?: number; stderr?: string }) => error.code === 2 && /policy\.yaml:3: YAML: /.test(error.stderr ?? ''),
    );
    await assert.rejects(
      run(path.join(app, 'dockhand-desktop'), ['--version']),
      /no display here/,
      'the stand-in is Node only through the launcher',
    );
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test("the CLI bundle makes no dynamic import(): it runs from V8's code cache through vm.Script, which has no loader for one", () => {
  const bundle = readFileSync(path.join('dist', 'cli.cjs'), 'utf8');
  // Calls only: `await import("x")` or `import("x")` as an expression, not the word in a comment.
  const calls = bundle.split('\n').filter((line) => /(^|[^\w.$])import\(\s*["'`]/.test(line) && !/^\s*(\/\/|\*)/.test(line));
  assert.deepEqual(calls, [], 'load lazily with main/util/builtin-later.ts (a require) instead');
});

test('the CLI bundle leaves the libraries an audit never runs to dist/vendor, required only where they are used', () => {
  const bundle = readFileSync(path.join('dist', 'cli.cjs'), 'utf8');
  assert.deepEqual(vendored().sort(), ['diff', 'systeminformation', 'ws', 'yaml', 'zod']);
  for (const name of vendored()) {
    assert.ok(bundle.includes(`require("./vendor/${name}.cjs")`), `${name} is required from dist/vendor`);
    assert.ok(!bundle.includes(`node_modules/${name}/`), `${name}'s own code is not in the bundle every run reads`);
  }
});
