// A real browser for the HTML reports' tests: Debian's Chromium (the package `chromium`) driven by
// playwright-core, which downloads no browser of its own. `findChromium()` says where it is, or why
// there is none: under CI=true a missing browser fails the tests (`.ci/run` installs it), elsewhere
// they skip with that message. `openReport()` loads a file and records what a user's browser would
// show and do: console errors, page errors, and every request beyond the file itself.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export const INSTALL_HINT = 'install Debian\'s Chromium to run them: apt-get install -y chromium (or set CHROMIUM_PATH)';

export function findChromium(): string | null {
  const given = process.env.CHROMIUM_PATH;
  if (given) return existsSync(given) ? given : null;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** Flags for a root user in a closed network: no sandbox, no background connections (they would be refused, noisily). */
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: FLAGS });
}

export interface OpenedReport {
  page: Page;
  /** Console messages of type error or warning, and uncaught page errors. */
  problems: string[];
  /** Every URL requested but the report file itself. */
  requests: string[];
}

export async function openReport(browser: Browser, file: string, viewport: { width: number; height: number }): Promise<OpenedReport> {
  const context = await browser.newContext({ viewport, offline: true });
  const page = await context.newPage();
  const url = pathToFileURL(file).href;
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => { if (r.url() !== url) requests.push(r.url()); });
  await page.goto(url, { waitUntil: 'load' });
  return { page, problems, requests };
}

/** Per chart (its data-chart label): how many lines, bands and points it drew, counted in the live DOM. */
export function chartShapes(page: Page): Promise<{ label: string; polylines: number; points: number; bands: number; width: number }[]> {
  return page.$$eval('svg.chart', (svgs) => svgs.map((svg) => {
    const polylines = [...svg.querySelectorAll('polyline')];
    return {
      label: svg.getAttribute('data-chart') ?? '',
      polylines: polylines.length,
      points: polylines.reduce((n, p) => n + (p.getAttribute('points') ?? '').trim().split(/\s+/).filter(Boolean).length, 0),
      bands: svg.querySelectorAll('polygon.band').length,
      width: svg.getBoundingClientRect().width,
    };
  }));
}
