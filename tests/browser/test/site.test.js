// The bundled study, built with the release binary and checked in Chromium:
// every page, served at "/" and under "/reports/sp-workforce/".

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { chromiumProblem, launchChromium, CHROMIUM_PATH } from '../lib/browser.js';
import { serve } from '../lib/server.js';
import { buildBundledStudy, filesWithExtension, REPORT_DIR } from '../lib/site.js';
import {
  inspectPage,
  idsCache,
  linkResolver,
  checkPrint,
  formatAxe,
  DESKTOP,
  MOBILE,
  PRINT_VIEWPORT,
} from '../lib/checks.js';
import { runVnu, formatVnu, javaProblem } from '../lib/vnu.js';
import { newTotals, tally, nonZero, formatSummary } from '../lib/summary.js';

const MOUNTS = ['/', '/reports/sp-workforce/'];

/** Fails with every item listed, one a line. */
function none(items, what) {
  assert.equal(items.length, 0, `${items.length} ${what}:\n  - ${items.join('\n  - ')}`);
}

async function prepare() {
  const chromium = chromiumProblem();
  if (chromium) throw new Error(chromium);
  const java = javaProblem();
  if (java) throw new Error(java);
  const siteDir = buildBundledStudy();
  const pages = filesWithExtension(siteDir, '.html');
  if (pages.length === 0) throw new Error(`the build wrote no .html page into ${siteDir}`);
  const svgs = filesWithExtension(siteDir, '.svg');
  fs.rmSync(REPORT_DIR, { recursive: true, force: true });
  fs.mkdirSync(path.join(REPORT_DIR, 'pdf'), { recursive: true });
  fs.mkdirSync(path.join(REPORT_DIR, 'screenshots'), { recursive: true });
  const browser = await launchChromium();
  const servers = {};
  for (const mount of MOUNTS) servers[mount] = await serve(siteDir, mount);
  return { siteDir, pages, svgs, browser, servers };
}

let setup;
let setupError;
try {
  setup = await prepare();
} catch (error) {
  setupError = error;
}

if (setupError) {
  console.error(setupError.message);
  const name = /Chromium is missing/.test(setupError.message)
    ? `Chromium is installed at ${CHROMIUM_PATH}`
    : 'build the bundled study and start the browser';
  test(name, () => {
    throw setupError;
  });
} else {
  const { siteDir, pages, svgs, browser, servers } = setup;
  const totals = newTotals(MOUNTS);
  const notes = {};
  const ids = idsCache(browser);

  after(async () => {
    const summary = formatSummary(totals, notes);
    console.log(summary);
    fs.writeFileSync(path.join(REPORT_DIR, 'summary.json'), `${JSON.stringify({ totals, notes, pages }, null, 2)}\n`);
    fs.writeFileSync(path.join(REPORT_DIR, 'summary.txt'), `${summary.trim()}\n`);
    await ids.close();
    await browser.close();
    for (const server of Object.values(servers)) await server.close();
  });

  test(`the Nu HTML Checker finds no error in the ${pages.length} pages (inline SVG charts included)`, () => {
    const html = pages.map((p) => path.join(siteDir, p));
    const inlineSvg = html.reduce((n, file) => n + (fs.readFileSync(file, 'utf8').match(/<svg[\s>]/g) ?? []).length, 0);
    const errors = runVnu(html);
    const svgErrors = runVnu(
      svgs.map((p) => path.join(siteDir, p)),
      { svg: true },
    );
    totals.validator += errors.length + svgErrors.length;
    notes.validator = `${pages.length} HTML pages with ${inlineSvg} inline SVG charts, ${svgs.length} standalone SVG files`;
    none(formatVnu([...errors, ...svgErrors], siteDir), 'validator errors');
  });

  for (const mount of MOUNTS) {
    test(`every page at ${mount}`, async (t) => {
      const server = servers[mount];
      const resolver = linkResolver({ origin: server.origin, idsOf: ids.idsOf });
      for (const rel of pages) {
        await t.test(rel, async (t) => {
          const url = server.base + rel;
          const r = await inspectPage(browser, url);
          ids.remember(url, r.ids);
          const broken = await resolver.check(r.links);
          tally(totals, mount, r, broken);
          await t.test('axe: no WCAG 2.1 A/AA violation (1280 px light, 390 px dark)', () => {
            none(formatAxe(r.axe), 'axe violations');
          });
          await t.test('no console error, no page error', () => {
            none(
              [...r.log.consoleErrors.map((e) => `console: ${e.text} (${e.at})`), ...r.log.pageErrors.map((e) => `page error: ${e.text}`)],
              'errors',
            );
          });
          await t.test('no failed request, no request to another host', () => {
            none(
              [
                ...r.log.failedRequests.map((e) => `failed: ${e.url} (${e.why})`),
                ...r.log.externalRequests.map((e) => `external: ${e.url}`),
              ],
              'bad requests',
            );
          });
          await t.test('no horizontal scrolling at 390 px', () => {
            const o = r.overflow;
            none(
              o.overflows
                ? [`scrollWidth ${o.scrollWidth} > clientWidth ${o.clientWidth}`, ...o.offenders, ...o.cutTables.map((c) => `cut off: ${c}`)]
                : [],
              'overflow findings',
            );
          });
          await t.test('every link, image, stylesheet and script resolves; every fragment exists', () => {
            assert.ok(r.links.length > 0, 'the page links somewhere');
            none(
              broken.map((b) => `${b.kind} "${b.raw}": ${b.why} — ${b.element}`),
              'broken links',
            );
          });
          await t.test('keyboard: skip link first, Enter moves focus to main, focus visible', () => {
            none(r.keyboard, 'keyboard problems');
          });
        });
      }
      assert.equal(totals.pages[mount], pages.length);
    });
  }

  const themePages = pages.filter((p) => p.startsWith('themes/'));
  const printPages = [...themePages, 'methods.html'];

  test('print: themes and methods on A4 (no navigation, quotes kept whole, the sample table fits)', async (t) => {
    assert.ok(themePages.length > 0, 'the study has theme pages');
    assert.ok(pages.includes('methods.html'), 'the study has a methods page');
    let sampleTables = 0;
    let quotes = 0;
    for (const rel of printPages) {
      await t.test(rel, async () => {
        const context = await browser.newContext({ viewport: PRINT_VIEWPORT });
        try {
          const pdf = path.join(REPORT_DIR, 'pdf', `${rel.replace(/\.html$/, '').replace(/\//g, '-')}.pdf`);
          const result = await checkPrint(context, servers['/'].base + rel, pdf);
          totals.print += result.problems.length;
          sampleTables += result.sampleTables;
          quotes += result.quotes;
          if (rel.startsWith('themes/')) assert.ok(result.quotes > 0, 'a theme page has quotes');
          if (rel === 'methods.html') assert.ok(result.sampleTables === 1, 'methods.html has the sample table');
          none(result.problems, 'print problems');
        } finally {
          await context.close();
        }
      });
    }
    notes.print = `${printPages.length} pages printed to A4 PDF in target/browser-report/pdf, ${quotes} quotes, ${sampleTables} sample table`;
  });

  test('screenshots of home, methods, a theme and a participant at 1280 and 390 px', async (t) => {
    const participant = pages.find((p) => p.startsWith('participants/') && p !== 'participants/index.html');
    const shots = ['index.html', 'methods.html', themePages[0], participant];
    assert.ok(shots.every(Boolean), `pages to screenshot: ${shots.join(', ')}`);
    for (const viewport of [DESKTOP, MOBILE]) {
      const context = await browser.newContext({ viewport });
      try {
        for (const rel of shots) {
          await t.test(`${rel} at ${viewport.width} px`, async () => {
            const page = await context.newPage();
            try {
              await page.goto(servers['/'].base + rel, { waitUntil: 'load' });
              const file = path.join(REPORT_DIR, 'screenshots', `${rel.replace(/\.html$/, '').replace(/\//g, '-')}-${viewport.width}.png`);
              await page.screenshot({ path: file, fullPage: true });
              assert.ok(fs.statSync(file).size > 1000, `${file} is a real screenshot`);
            } finally {
              await page.close();
            }
          });
        }
      } finally {
        await context.close();
      }
    }
  });

  test('summary: every count is zero at both mounts', () => {
    for (const mount of MOUNTS) assert.equal(totals.pages[mount], pages.length, `pages checked at ${mount}`);
    assert.deepEqual(nonZero(totals), [], formatSummary(totals, notes));
  });
}
