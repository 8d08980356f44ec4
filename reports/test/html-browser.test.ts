// The HTML reports in a real browser: Debian's Chromium, headless (test-support/browser.ts). A load,
// a conformance and a comparison page, at a desktop and a phone width: no console error, no request
// beyond the file (the network is off, so one would fail loudly too), every chart drawn (lines with
// points in the live SVG), nothing wider than the screen, and the verdict readable with JavaScript
// off. A canary page with one external image proves the harness sees a request when there is one.
// Without Chromium these tests skip and say how to install it; under CI=true they fail instead.
// TALKBENCH_SCREENSHOTS=DIR keeps a full-page screenshot of each page at each width.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chartShapes, findChromium, INSTALL_HINT, launchChromium, openReport } from '../../test-support/browser.js';
import { compareLoads } from '../compare/compare-results.js';
import { comparisonHtml } from '../render/html/comparison-html.js';
import { conformanceHtml } from '../render/html/conformance-html.js';
import { loadHtml } from '../render/html/load-html.js';
import { initHistograms } from '../schema/histogram.js';
import { readConformanceResult, readLoadResult } from '../schema/read-result.js';
import { withSyntheticSeconds, type SyntheticRun } from './synthetic-runs.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const chromiumPath = findChromium();
const VIEWPORTS = [{ name: 'desktop', width: 1280, height: 900 }, { name: 'phone', width: 390, height: 844 }] as const;
const RUN: SyntheticRun = { seconds: 20, perSecond: 300, medianUs: 1000, sigma: 0.4, secondSigma: 0.03 };

if (!chromiumPath && process.env.CI === 'true') {
  test('Chromium is installed (CI=true)', () => { throw new Error(`no Chromium found for the HTML report tests: ${INSTALL_HINT}`); });
} else if (!chromiumPath) {
  // eslint-disable-next-line no-console
  console.warn(`html-browser.test.ts skipped: no Chromium; ${INSTALL_HINT}`);
}

describe.skipIf(!chromiumPath)('the HTML reports in Chromium', () => {
  let browser: Browser;
  let dir = '';
  const pages: Record<string, string> = {};

  beforeAll(async () => {
    await initHistograms();
    dir = await mkdtemp(join(tmpdir(), 'tb-html-'));
    const recorded = JSON.parse(await readFile(fixture('v3-load.json'), 'utf8'));
    const load = readLoadResult(await readFile(fixture('v4-load.json'), 'utf8'), 'v4-load.json');
    const conformance = readConformanceResult(await readFile(fixture('conformance-failing-im.json'), 'utf8'), 'conformance-failing-im.json');
    const run = (r: SyntheticRun, seed: number) => readLoadResult(JSON.stringify(withSyntheticSeconds(recorded, r, seed)), `run-${seed}.json`);
    const comparison = compareLoads(run(RUN, 1), run({ ...RUN, scale: 1.3 }, 2), ['base.json', 'new.json'],
      { tolerance: 0.1, confidence: 0.95, resamples: 100, seed: 1, failOnInconclusive: false, allowConfigChange: false, toolVersion: 'test' });
    const html = { load: loadHtml(load), conformance: conformanceHtml(conformance), comparison: comparisonHtml(comparison) };
    for (const [name, text] of Object.entries(html)) {
      pages[name] = join(dir, `${name}.html`);
      await writeFile(pages[name]!, text);
    }
    browser = await launchChromium(chromiumPath!);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  for (const name of ['load', 'conformance', 'comparison'] as const) {
    for (const viewport of VIEWPORTS) {
      test(`${name} report at ${viewport.name} width (${viewport.width} px): no console error, no request, charts drawn, nothing wider than the screen`, async () => {
        const opened = await openReport(browser, pages[name]!, viewport);
        try {
          expect(opened.problems).toEqual([]);
          expect(opened.requests).toEqual([]);
          const charts = await chartShapes(opened.page);
          if (name !== 'conformance') expect(charts.length).toBeGreaterThan(0);
          for (const c of charts) {
            expect(c.polylines, c.label).toBeGreaterThan(0);
            expect(c.points, c.label).toBeGreaterThanOrEqual(c.polylines);
            expect(c.width, c.label).toBeLessThanOrEqual(viewport.width);
          }
          if (name === 'comparison') expect(charts.every((c) => c.bands === 2)).toBe(true);
          const pageWidth = await opened.page.evaluate(() => document.documentElement.scrollWidth);
          expect(pageWidth).toBeLessThanOrEqual(viewport.width);
          const shots = process.env.TALKBENCH_SCREENSHOTS;
          if (shots) {
            await mkdir(shots, { recursive: true });
            await opened.page.screenshot({ path: join(shots, `${name}-${viewport.name}.png`), fullPage: true });
          }
        } finally {
          await opened.page.context().close();
        }
      });
    }
  }

  test('with JavaScript off, every page shows its verdict and its charts', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true, viewport: { width: 1280, height: 900 } });
    try {
      const expected = { load: 'Passed (exit 0)', conformance: 'Failed (exit 1)', comparison: 'Regression (exit 6)' };
      for (const [name, verdict] of Object.entries(expected)) {
        const page = await context.newPage();
        await page.goto(`file://${pages[name]}`);
        expect(await page.locator('.verdict').first().innerText()).toContain(verdict);
        if (name !== 'conformance') expect(await page.locator('svg.chart polyline').count()).toBeGreaterThan(0);
      }
    } finally {
      await context.close();
    }
  });

  test('the canary: a page asking for one external image is caught', async () => {
    const canary = join(dir, 'canary.html');
    await writeFile(canary, (await readFile(pages.load!, 'utf8')).replace('</body>', '<img src="http://127.0.0.1:9/pixel.png"></body>'));
    const opened = await openReport(browser, canary, VIEWPORTS[0]);
    try {
      // The page's policy refuses it (a console error); were the policy gone, the request would show.
      expect([...opened.problems, ...opened.requests].join('\n')).toMatch(/127\.0\.0\.1:9\/pixel\.png/);
    } finally {
      await opened.page.context().close();
    }
  });
});
