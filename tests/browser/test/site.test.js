// The bundled study, built with the findings binary and checked in Chromium.
// Every page gets every check once, served at "/"; served under
// "/reports/sp-workforce/" (where only relative links could break), every
// page is loaded again and only its links and resources are checked.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { chromiumProblem, launchChromium, CHROMIUM_PATH } from '../lib/browser.js';
import { serve } from '../lib/server.js';
import { buildBundledStudy, filesWithExtension, REPORT_DIR } from '../lib/site.js';
import {
  inspectPage,
  inspectLinks,
  checkVisible,
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

/** Where every check runs. */
const ROOT = '/';
/** A second mount, like a project site's: only the links and resources are checked here. */
const SUB_PATH = '/reports/sp-workforce/';
const MOUNTS = [ROOT, SUB_PATH];

/** Fails with every item listed, one a line. */
function none(items, what) {
  assert.equal(items.length, 0, `${items.length} ${what}:\n  - ${items.join('\n  - ')}`);
}

/** The failed and external requests of a page's log, one line each. */
function badRequests(log) {
  return [...log.failedRequests.map((e) => `failed: ${e.url} (${e.why})`), ...log.externalRequests.map((e) => `external: ${e.url}`)];
}

/** The console and page errors of a page's log, one line each. */
function consoleAndPageErrors(log) {
  return [...log.consoleErrors.map((e) => `console: ${e.text} (${e.at})`), ...log.pageErrors.map((e) => `page error: ${e.text}`)];
}

/** Broken links (see checks.linkResolver), one line each. */
function formatBroken(broken) {
  return broken.map((b) => `${b.kind} "${b.raw}": ${b.why} — ${b.element}`);
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
  const notes = { pages: `every check at ${ROOT}; the load (requests, errors) and links at ${SUB_PATH}` };
  const ids = idsCache(browser);

  after(async () => {
    const summary = formatSummary(totals, notes);
    console.log(summary);
    fs.writeFileSync(path.join(REPORT_DIR, 'summary.json'), `${JSON.stringify({ totals, notes, pages }, null, 2)}\n`);
    fs.writeFileSync(path.join(REPORT_DIR, 'summary.txt'), `${summary.trim()}\n`);
    await ids.close();
    await browser.close();
    for (const server of Object.values(servers)) await server.close();
    fs.rmSync(path.dirname(siteDir), { recursive: true, force: true });
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

  test(`every page at ${ROOT}: axe, errors, requests, 390 px, links and keyboard`, async (t) => {
    const server = servers[ROOT];
    const resolver = linkResolver({ origin: server.origin, idsOf: ids.idsOf });
    for (const rel of pages) {
      await t.test(rel, async (t) => {
        const url = server.base + rel;
        const r = await inspectPage(browser, url);
        ids.remember(url, r.ids);
        const broken = await resolver.check(r.links);
        tally(totals, ROOT, r, broken);
        await t.test('axe: no WCAG 2.1 A/AA violation (1280 px light, 390 px dark)', () => {
          none(formatAxe(r.axe), 'axe violations');
        });
        await t.test('no console error, no page error', () => {
          none(consoleAndPageErrors(r.log), 'errors');
        });
        await t.test('no failed request, no request to another host', () => {
          none(badRequests(r.log), 'bad requests');
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
          none(formatBroken(broken), 'broken links');
        });
        await t.test('keyboard: skip link first, Enter moves focus to main, focus visible', () => {
          none(r.keyboard, 'keyboard problems');
        });
      });
    }
    assert.equal(totals.pages[ROOT], pages.length);
  });

  test(`every page at ${SUB_PATH}: every link, resource and fragment resolves`, async (t) => {
    const server = servers[SUB_PATH];
    const resolver = linkResolver({ origin: server.origin, idsOf: ids.idsOf });
    for (const rel of pages) {
      await t.test(rel, async () => {
        const url = server.base + rel;
        const r = await inspectLinks(browser, url);
        ids.remember(url, r.ids);
        const broken = await resolver.check(r.links);
        tally(totals, SUB_PATH, r, broken);
        assert.ok(r.links.length > 0, 'the page links somewhere');
        none([...badRequests(r.log), ...consoleAndPageErrors(r.log), ...formatBroken(broken)], 'problems at the sub-path');
      });
    }
    assert.equal(totals.pages[SUB_PATH], pages.length);
  });

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
          const result = await checkPrint(context, servers[ROOT].base + rel, pdf);
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

  test('screenshots of home, methods, a theme and a participant at 1280 and 390 px: the heading is shown and painted', async (t) => {
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
              await page.goto(servers[ROOT].base + rel, { waitUntil: 'load' });
              await page.evaluate(() => document.fonts.ready.then(() => undefined));
              none(await checkVisible(page), 'visibility problems');
              const file = path.join(REPORT_DIR, 'screenshots', `${rel.replace(/\.html$/, '').replace(/\//g, '-')}-${viewport.width}.png`);
              await page.screenshot({ path: file, fullPage: true });
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

  test('summary: every count is zero', () => {
    for (const mount of MOUNTS) assert.equal(totals.pages[mount], pages.length, `pages checked at ${mount}`);
    assert.deepEqual(nonZero(totals), [], formatSummary(totals, notes));
  });
}
