// `npm run icons`: renders build/icon.svg (and the tray icons) with Chromium into every file packaging and the app
// need, and commits-ready: build/icons/<N>x<N>.png (Linux), build/icon.png, build/icon.icns (macOS), build/icon.ico
// (Windows), build/tray/*.png (the tray, 1x and @2x) and renderer/public/icon.png (the page icon). The outputs are
// committed: packaging must not depend on a browser being installed.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { launchChromium } from '../e2e/support/browser';
import type { TrayIcon } from '../main/electron/tray-state';
import { encodeIcns } from './icons/icns';
import { encodeIco } from './icons/ico';
import { traySvg } from './icons/tray';

const svg = readFileSync('build/icon.svg', 'utf8');
const browser = await launchChromium();
const page = await browser.newPage({ deviceScaleFactor: 1 });

async function render(source: string, size: number): Promise<Buffer> {
  await page.setViewportSize({ width: size, height: size });
  const sized = source.replace(/<svg([^>]*?) width="\d+" height="\d+"/, `<svg$1 width="${size}" height="${size}"`);
  await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">${sized}</body></html>`);
  return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
}

const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const pngs = new Map<number, Buffer>();
for (const size of SIZES) pngs.set(size, await render(svg, size));

mkdirSync('build/icons', { recursive: true });
for (const size of SIZES.filter((s) => s <= 512)) writeFileSync(`build/icons/${size}x${size}.png`, pngs.get(size)!);
writeFileSync('build/icon.png', pngs.get(1024)!);
writeFileSync('build/icon.icns', encodeIcns(pngs));
writeFileSync('build/icon.ico', encodeIco([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, png: pngs.get(size)! }))));
mkdirSync('renderer/public', { recursive: true });
writeFileSync('renderer/public/icon.png', pngs.get(64)!);

mkdirSync('build/tray', { recursive: true });
for (const state of ['ok', 'warn', 'fail', 'unknown'] as TrayIcon[]) {
  writeFileSync(`build/tray/${state}.png`, await render(traySvg(state), 16));
  writeFileSync(`build/tray/${state}@2x.png`, await render(traySvg(state), 32));
}
// The window icon on Linux (Windows and macOS take theirs from the package).
writeFileSync('build/tray/app.png', pngs.get(256)!);

await browser.close();
console.log(`wrote build/icons (${SIZES.length - 1} sizes), build/icon.{png,icns,ico}, build/tray, renderer/public/icon.png`);
