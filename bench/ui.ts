// `npm run bench` (UI part): the desktop UI over `dockhand serve` in Debian's Chromium, against a private dockerd.
// Prints, not asserts:
//  - open → findings shown at 1,000 idle containers: from loading the page to the first finding row, with a fresh
//    audit (no report yet) and with the last report kept by the server;
//  - scrolling 10,000 findings (all statuses shown; containers are added until the audit has that many) top to
//    bottom, one screen per frame, with the long tasks (> 50 ms) Chromium reports through PerformanceObserver.
// BENCH_UI_CONTAINERS and BENCH_UI_FINDINGS change the two sizes. Other work on the machine shows up as long tasks:
// run it on a quiet machine.
import { mapLimit } from '../main/util/timeout';
import { launchChromium } from '../e2e/support/browser';
import { startServe } from '../e2e/support/serve';
import { importBusybox, runningDockerd } from '../test/support/dockerd';
import { post } from './engine-post';

const CONTAINERS = Number(process.env.BENCH_UI_CONTAINERS ?? 1000);
const FINDINGS = Number(process.env.BENCH_UI_FINDINGS ?? 10_000);
const ALL_STATUSES = 'fail,error,warn,info,pass,skipped';
const describeLongTasks = (tasks: number[]) => (tasks.length ? `${tasks.map((d) => d.toFixed(0)).join(', ')} ms` : 'none');

const daemon = await runningDockerd({ daemonJson: { 'log-opts': { 'max-size': '10m' } }, pidfileBesideSocket: true });
const browser = await launchChromium();
const served = await startServe(['-H', daemon.host]);
try {
  const image = await importBusybox(daemon);
  let created = 0;
  const createUpTo = (count: number) =>
    mapLimit(
      Array.from({ length: Math.max(0, count - created) }, (_, i) => created + i),
      8,
      async (i) => {
        const res = await post(daemon.socket, `/containers/create?name=idle-${i}`, {
          Image: image,
          Cmd: ['/bin/sleep', '86400'],
          Labels: { bench: 'dockhand' },
        });
        if (res.status !== 201) throw new Error(`create failed: ${JSON.stringify(res.json)}`);
        created = Math.max(created, i + 1);
      },
    );
  await createUpTo(CONTAINERS);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__longTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  const page = await context.newPage();
  const firstFinding = page.locator('[role="treeitem"][aria-level="2"]').first();

  // 1. A first visit: the server has no report, the UI audits at once.
  let t0 = performance.now();
  await page.goto(`${served.url}#/findings?status=${ALL_STATUSES}`);
  await firstFinding.waitFor({ timeout: 300_000 });
  const fresh = performance.now() - t0;
  const total = await page.evaluate(
    () => /of ([\d,]+) findings/.exec(document.querySelector('.result-count')?.textContent ?? '')?.[1] ?? '?',
  );

  // 2. Opening the UI again: the last report is there.
  const reopened = await context.newPage();
  t0 = performance.now();
  await reopened.goto(`${served.origin}/#/findings?status=${ALL_STATUSES}`);
  await reopened.locator('[role="treeitem"][aria-level="2"]').first().waitFor();
  const kept = performance.now() - t0;
  const loadLongTasks = await reopened.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks.splice(0));
  await page.close();
  await reopened.close();

  // 3. Enough containers for the findings asked for (each idle container fails a handful of checks), audited again.
  const audit = async () => {
    const res = await fetch(`${served.origin}/api/audit.run`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: served.origin, Authorization: `Bearer ${served.token}` },
      body: '{}',
    });
    const body = (await res.json()) as { ok: boolean; result: { findings: unknown[] } };
    if (!body.ok) throw new Error(`audit failed: ${JSON.stringify(body)}`);
    return body.result.findings.length;
  };
  let findings = await audit();
  while (findings < FINDINGS) {
    const perContainer = Math.max(1, findings / created);
    await createUpTo(created + Math.ceil((FINDINGS - findings) / perContainer) + 1);
    findings = await audit();
  }
  const scroller = await context.newPage();
  t0 = performance.now();
  await scroller.goto(`${served.origin}/#/findings?status=${ALL_STATUSES}`);
  await scroller.locator('[role="treeitem"][aria-level="2"]').first().waitFor();
  const keptLarge = performance.now() - t0;
  await scroller.waitForTimeout(500);
  const largeLongTasks = await scroller.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks.slice());
  await scroller.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks.splice(0));

  // 4. Scroll every row, one screen per frame, as a fast wheel or a dragged scrollbar does.
  const scroll = await scroller.evaluate(async () => {
    const list = document.querySelector<HTMLElement>('[role="tree"]')!;
    const rows = Number(list.querySelector('[role="treeitem"]')?.getAttribute('aria-setsize') ?? 0);
    const step = list.clientHeight;
    const frames: number[] = [];
    const started = performance.now();
    let last = started;
    while (list.scrollTop + list.clientHeight < list.scrollHeight - 1) {
      list.scrollTop += step;
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      frames.push(now - last);
      last = now;
    }
    await new Promise((r) => setTimeout(r, 200));
    frames.sort((a, b) => a - b);
    return {
      groups: rows,
      heightPx: list.scrollHeight,
      frames: frames.length,
      ms: performance.now() - started,
      p50: frames[Math.floor(frames.length / 2)] ?? 0,
      p95: frames[Math.floor(frames.length * 0.95)] ?? 0,
      max: frames.at(-1) ?? 0,
      longTasks: (window as unknown as { __longTasks: number[] }).__longTasks.splice(0),
    };
  });

  console.log(`\nDockhand UI over dockhand serve, Chromium ${browser.version()}`);
  console.log(`${CONTAINERS} containers (created, not started), ${total} findings:`);
  console.log(`  open → findings shown, first visit (audit included): ${fresh.toFixed(0)} ms`);
  console.log(
    `  open → findings shown, last report kept:             ${kept.toFixed(0)} ms   (long tasks while loading: ${describeLongTasks(loadLongTasks)})`,
  );
  console.log(`${created} containers, ${findings.toLocaleString('en')} findings:`);
  console.log(
    `  open → findings shown, last report kept:             ${keptLarge.toFixed(0)} ms   (long tasks while loading: ${describeLongTasks(largeLongTasks)})`,
  );
  console.log(
    `  scroll all ${findings.toLocaleString('en')} findings (${scroll.heightPx} px, ${scroll.frames} frames, one screen per frame) in ${scroll.ms.toFixed(0)} ms: frame p50 ${scroll.p50.toFixed(1)} ms, p95 ${scroll.p95.toFixed(1)} ms, max ${scroll.max.toFixed(1)} ms; long tasks > 50 ms: ${scroll.longTasks.length}${scroll.longTasks.length ? ` (max ${Math.max(...scroll.longTasks).toFixed(0)} ms)` : ''}`,
  );
} finally {
  await browser.close();
  await served.stop();
  await daemon.stop();
}
