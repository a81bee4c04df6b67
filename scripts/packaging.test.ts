import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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
  directories: { buildResources: string };
  linux: { target: string[]; icon: string };
  mac: { target: string[]; icon: string };
  win: { target: string[]; icon: string };
}
const config = parse(readFileSync('electron-builder.yml', 'utf8')) as BuilderConfig;
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

test('electron-builder.yml: app id, targets for Linux, macOS and Windows, and the files the app runs from', () => {
  assert.equal(config.appId, 'dev.dockhand.app');
  assert.equal(config.productName, 'Dockhand');
  assert.deepEqual(config.linux.target, ['deb', 'rpm', 'AppImage']);
  assert.deepEqual(config.mac.target, ['dmg']);
  assert.deepEqual(config.win.target, ['nsis']);
  assert.deepEqual(config.files, ['dist/electron/**/*', 'dist/renderer/**/*', 'package.json', '!**/*.map']);
  assert.equal(config.directories.buildResources, 'build');
  assert.equal(config.asar, true);
});

test('electron-builder.yml is valid against electron-builder\'s own configuration schema', () => {
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
  for (const file of [pkg.main, 'dist/electron/preload.cjs', 'dist/renderer/index.html', 'dist/electron/tray/ok.png']) assert.ok(existsSync(file), file);
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
  assert.deepEqual(icns.map((c) => c.type), ICNS_TYPES.map((t) => t.type));
  for (const chunk of icns) {
    const pixels = ICNS_TYPES.find((t) => t.type === chunk.type)!.pixels;
    assert.deepEqual(pngSize(chunk.png), { width: pixels, height: pixels }, chunk.type);
  }

  const ico = decodeIcoSizes(readFileSync(config.win.icon));
  assert.deepEqual(ico.map((i) => i.size), [16, 24, 32, 48, 64, 128, 256]);
  assert.ok(ico.every((i) => i.isPng));

  for (const state of ['ok', 'warn', 'fail', 'unknown']) {
    assert.deepEqual(pngSize(readFileSync(`build/tray/${state}.png`)), { width: 16, height: 16 }, state);
    assert.deepEqual(pngSize(readFileSync(`build/tray/${state}@2x.png`)), { width: 32, height: 32 }, state);
  }
});
