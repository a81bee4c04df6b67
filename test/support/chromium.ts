// test-needs: chromium — Debian's Chromium
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

/** Debian's Chromium (Playwright's own browser download cannot run here), driven by playwright-core. */
export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export interface PageCheck {
  /** Requests the page made for anything but its own file: a self-contained page makes none. */
  externalRequests: string[];
  /** Text of the page as a reader sees it. */
  text: string;
  /** Size of the page printed to A4: a PDF is made to prove it prints. */
  pdfBytes: number;
}

/**
 * Opens an HTML file with JavaScript disabled, saves a full-page screenshot (and the first screen alone, `-top.png`,
 * which is what a person sees on opening it) and prints it to PDF.
 */
export async function screenshotHtml(file: string, png: string): Promise<PageCheck> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    const externalRequests: string[] = [];
    const url = `file://${path.resolve(file)}`;
    page.on('request', (r) => {
      if (r.url() !== url) externalRequests.push(r.url());
    });
    await page.goto(url, { waitUntil: 'load' });
    await fs.mkdir(path.dirname(png), { recursive: true });
    await page.screenshot({ path: png, fullPage: true });
    await page.screenshot({ path: png.replace(/\.png$/, '-top.png') });
    const text = await page.innerText('body');
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    return { externalRequests, text, pdfBytes: pdf.length };
  } finally {
    await browser.close();
  }
}
