// Each check can fail: the deliberately broken pages in broken/ make every
// checker report its problem, and broken/good.html makes every one report
// zero. Served under a sub-path, like the site's second mount.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromiumProblem, launchChromium, CHROMIUM_PATH } from '../lib/browser.js';
import { serve } from '../lib/server.js';
import {
  inspectPage,
  inspectLinks,
  idsCache,
  linkResolver,
  checkPrint,
  checkOverflow,
  checkVisible,
  watchedContext,
  newLog,
  formatAxe,
  isExternal,
  cssReferences,
  DESKTOP,
  MOBILE,
  PRINT_VIEWPORT,
} from '../lib/checks.js';
import { runVnu, javaProblem } from '../lib/vnu.js';
import { newTotals, tally, nonZero, COUNTS } from '../lib/summary.js';

const BROKEN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'broken');
const MOUNT = '/checks/';

test('a missing Chromium fails with a clear message, never silently', async () => {
  const message = chromiumProblem('/nonexistent/chromium');
  assert.match(message, /Chromium is missing: \/nonexistent\/chromium/);
  assert.match(message, /apt-get install -y chromium/);
  await assert.rejects(launchChromium('/nonexistent/chromium'), /Chromium is missing/);
});

test('external means any host but 127.0.0.1', () => {
  assert.equal(isExternal('http://127.0.0.1:8080/a.html'), false);
  assert.equal(isExternal('data:image/png;base64,AAAA'), false);
  assert.equal(isExternal('http://example.invalid/'), true);
  assert.equal(isExternal('http://localhost:8080/'), true);
  assert.equal(isExternal('https://fonts.example.com/font.woff2'), true);
});

test('stylesheet references are found', () => {
  assert.deepEqual(cssReferences('a{background:url("x.png")} /* url(no.png) */ b{src:url(y.woff2)} @import "z.css"; c{mask:url(#m)} d{e:url(data:x)}'), [
    'x.png',
    'y.woff2',
    'z.css',
  ]);
});

test('the static server serves the folder at its mount and nothing else', async () => {
  const server = await serve(BROKEN, MOUNT);
  try {
    assert.match(server.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
    const ok = await fetch(`${server.base}good.html`);
    assert.equal(ok.status, 200);
    assert.match(ok.headers.get('content-type'), /text\/html/);
    await ok.text();
    for (const bad of ['nope.html', '../checkers.test.js', '%2e%2e/package.json', '%2e%2e%2fpackage.json']) {
      const res = await fetch(`${server.base}${bad}`);
      assert.equal(res.status, 404, bad);
      await res.text();
    }
    const outside = await fetch(`${server.origin}/good.html`);
    assert.equal(outside.status, 404, 'a file outside the mount');
    await outside.text();
  } finally {
    await server.close();
  }
});

const problem = chromiumProblem();
if (problem) {
  console.error(problem);
  test(`Chromium is installed at ${CHROMIUM_PATH}`, () => assert.fail(problem));
} else {
  const browser = await launchChromium();
  const server = await serve(BROKEN, MOUNT);
  const ids = idsCache(browser);
  const resolver = linkResolver({ origin: server.origin, idsOf: ids.idsOf });
  after(async () => {
    await ids.close();
    await browser.close();
    await server.close();
  });

  const inspected = new Map();
  const inspect = async (name) => {
    if (!inspected.has(name)) {
      inspected.set(
        name,
        (async () => {
          const result = await inspectPage(browser, server.base + name);
          const broken = await resolver.check(result.links);
          return { ...result, broken };
        })(),
      );
    }
    return inspected.get(name);
  };
  const totalsOf = async (name) => {
    const r = await inspect(name);
    return tally(newTotals([MOUNT]), MOUNT, r, r.broken);
  };

  test('good.html: every checker reports zero', async () => {
    const r = await inspect('good.html');
    assert.deepEqual(formatAxe(r.axe), [], 'axe');
    assert.deepEqual(r.log, newLog(), 'console, page errors and requests');
    assert.equal(r.overflow.overflows, false, `overflow: ${JSON.stringify(r.overflow)}`);
    assert.deepEqual(r.broken, [], 'links');
    assert.deepEqual(r.keyboard, [], 'keyboard');
    assert.ok(r.links.some((l) => l.url.endsWith('other.html#section-two')), 'the fragment link was checked');
    const totals = await totalsOf('good.html');
    assert.deepEqual(nonZero(totals), [], 'the summary counts');
    const context = await browser.newContext();
    try {
      const print = await checkPrint(context, `${server.base}good.html`);
      assert.deepEqual(print.problems, [], 'print');
      assert.equal(print.quotes, 1);
      assert.equal(print.sampleTables, 1);
    } finally {
      await context.close();
    }
    assert.deepEqual(runVnu([path.join(BROKEN, 'good.html'), path.join(BROKEN, 'other.html')]), [], 'vnu');
    assert.deepEqual(runVnu([path.join(BROKEN, 'dot.svg')], { svg: true }), [], 'vnu --svg');
  });

  test('the summary has a count for every check', () => {
    assert.deepEqual(
      COUNTS.map(([key]) => key),
      ['axe', 'validator', 'console', 'pageErrors', 'failedRequests', 'external', 'brokenLinks', 'overflowing', 'keyboard', 'print'],
    );
  });

  test('axe: an image without alt text and low-contrast text are violations', async () => {
    const r = await inspect('axe.html');
    const rules = new Set(r.axe.map((v) => v.id));
    assert.ok(rules.has('image-alt'), `image-alt in ${formatAxe(r.axe).join('; ')}`);
    assert.ok(rules.has('color-contrast'), `color-contrast in ${formatAxe(r.axe).join('; ')}`);
    assert.ok(formatAxe(r.axe).some((line) => line.startsWith('image-alt at img')), 'the violation names its target');
    assert.ok((await totalsOf('axe.html')).axe >= 2);
  });

  test('console: a console.error call is counted', async () => {
    const r = await inspect('console.html');
    assert.ok(
      r.log.consoleErrors.some((e) => e.text.includes('deliberate console error')),
      JSON.stringify(r.log.consoleErrors),
    );
    assert.ok((await totalsOf('console.html')).console >= 1);
  });

  test('page errors: an uncaught exception is counted', async () => {
    const r = await inspect('page-error.html');
    assert.ok(r.log.pageErrors.some((e) => e.text.includes('thisFunctionDoesNotExist')), JSON.stringify(r.log.pageErrors));
    assert.ok((await totalsOf('page-error.html')).pageErrors >= 1);
  });

  test('network: a request to http://example.invalid/ is counted as external and blocked', async () => {
    const r = await inspect('external.html');
    assert.ok(
      r.log.externalRequests.some((e) => e.url === 'http://example.invalid/pixel.png'),
      JSON.stringify(r.log.externalRequests),
    );
    assert.ok((await totalsOf('external.html')).external >= 1);
  });

  test('network: a missing image is a failed request (HTTP 404) and a broken link', async () => {
    const r = await inspect('missing-resource.html');
    assert.ok(
      r.log.failedRequests.some((e) => e.url.endsWith('/checks/missing.png') && e.why === 'HTTP 404'),
      JSON.stringify(r.log.failedRequests),
    );
    assert.ok(r.broken.some((b) => b.raw === 'missing.png'), JSON.stringify(r.broken));
    const totals = await totalsOf('missing-resource.html');
    assert.ok(totals.failedRequests >= 1 && totals.brokenLinks >= 1);
  });

  test('overflow: a 1000 px wide element makes the page scroll sideways at 390 px', async () => {
    const r = await inspect('overflow.html');
    assert.equal(r.overflow.overflows, true);
    assert.ok(r.overflow.scrollWidth > r.overflow.clientWidth, JSON.stringify(r.overflow));
    assert.ok(r.overflow.offenders.some((o) => o.startsWith('div ')), JSON.stringify(r.overflow.offenders));
    assert.equal((await totalsOf('overflow.html')).overflowing, 1);
  });

  test('overflow: a wide table in a box that hides it (instead of scrolling) is reported', async () => {
    const context = await watchedContext(browser, newLog(), { viewport: MOBILE });
    try {
      const result = await checkOverflow(context, `${server.base}cut-table.html`);
      assert.equal(result.overflows, true);
      assert.equal(result.cutTables.length, 1, JSON.stringify(result));
      const good = await checkOverflow(context, `${server.base}good.html`);
      assert.deepEqual(good.cutTables, [], 'a wide table in a scrolling box is fine');
    } finally {
      await context.close();
    }
  });

  test('links: a broken link, missing fragments, a broken stylesheet url() and a link out of the mount are reported', async () => {
    const r = await inspect('links.html');
    const raws = r.broken.map((b) => b.raw).sort();
    assert.deepEqual(raws, ['#not-on-this-page', '../outside.html', 'missing-background.png', 'nope.html', 'other.html#nowhere']);
    assert.match(r.broken.find((b) => b.raw === 'other.html#nowhere').why, /no element with id "nowhere"/);
    assert.match(r.broken.find((b) => b.raw === 'nope.html').why, /HTTP 404/);
    assert.equal((await totalsOf('links.html')).brokenLinks, 5);
  });

  test('links only (the sub-path check): a missing image and broken links are found, good.html has none', async () => {
    const missing = await inspectLinks(browser, `${server.base}missing-resource.html`);
    assert.ok(
      missing.log.failedRequests.some((e) => e.url.endsWith('/checks/missing.png') && e.why === 'HTTP 404'),
      JSON.stringify(missing.log.failedRequests),
    );
    const links = await inspectLinks(browser, `${server.base}links.html`);
    const raws = (await resolver.check(links.links)).map((b) => b.raw).sort();
    assert.deepEqual(raws, ['#not-on-this-page', '../outside.html', 'missing-background.png', 'nope.html', 'other.html#nowhere']);
    const good = await inspectLinks(browser, `${server.base}good.html`);
    assert.deepEqual(good.log, newLog());
    assert.deepEqual(await resolver.check(good.links), []);
    assert.ok(good.ids.includes('quote-1'), 'the ids are collected');
  });

  test('keyboard: a page whose first focusable element is not a skip link', async () => {
    const r = await inspect('keyboard-first.html');
    assert.ok(r.keyboard.some((p) => /^the first Tab focuses <a href="other.html">/.test(p)), JSON.stringify(r.keyboard));
    assert.ok((await totalsOf('keyboard-first.html')).keyboard >= 1);
  });

  test('keyboard: a skip link that does not move focus to main', async () => {
    const r = await inspect('keyboard-skip.html');
    assert.ok(r.keyboard.some((p) => p.startsWith('Enter on the skip link leaves focus on')), JSON.stringify(r.keyboard));
  });

  test('keyboard: focus that is not visible', async () => {
    const r = await inspect('keyboard-focus.html');
    assert.ok(r.keyboard.some((p) => p.startsWith('the focused skip link is not visible')), JSON.stringify(r.keyboard));
    assert.ok(r.keyboard.some((p) => p.startsWith('focus is not visible on <a href="other.html">')), JSON.stringify(r.keyboard));
  });

  /** checkVisible on a page of broken/ just loaded at `viewport`. */
  const visibleProblems = async (name, viewport) => {
    const context = await browser.newContext({ viewport });
    try {
      const page = await context.newPage();
      await page.goto(`${server.base}${name}`, { waitUntil: 'load' });
      return await checkVisible(page);
    } finally {
      await context.close();
    }
  };

  test('visible: the heading of good.html is inside the viewport and painted, at 1280 and 390 px', async () => {
    for (const viewport of [DESKTOP, MOBILE]) {
      assert.deepEqual(await visibleProblems('good.html', viewport), [], `${viewport.width} px`);
    }
  });

  test('visible: a heading in the colour of the background is not painted', async () => {
    const problems = await visibleProblems('invisible.html', DESKTOP);
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0], /^the h1 is not painted: 0\.0% of its box is ink/);
  });

  test('visible: a heading below the first screen is reported', async () => {
    const problems = await visibleProblems('below-fold.html', DESKTOP);
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0], /^the h1 is not wholly inside the 1280×800 px viewport/);
  });

  test('visible: a page without an h1, and an h1 that is not the title, are reported', async () => {
    assert.deepEqual(await visibleProblems('no-heading.html', DESKTOP), ['the page has no h1']);
    assert.deepEqual(await visibleProblems('invalid.html', DESKTOP), ['the h1 "Invalid HTML" does not begin the title ""']);
  });

  test('vnu: an invalid HTML page has errors', () => {
    const errors = runVnu([path.join(BROKEN, 'invalid.html'), path.join(BROKEN, 'good.html')]);
    assert.ok(errors.length >= 3, JSON.stringify(errors));
    assert.ok(errors.every((e) => e.file.endsWith('invalid.html')), 'only the invalid page has errors');
    assert.ok(errors.some((e) => /title/.test(e.message)), 'the missing title is reported');
    assert.ok(errors.some((e) => /[Dd]uplicate ID/.test(e.message)), 'the duplicate id is reported');
  });

  test('vnu --svg: an invalid standalone SVG has errors', () => {
    const errors = runVnu([path.join(BROKEN, 'invalid.svg')], { svg: true });
    assert.ok(errors.length >= 1, JSON.stringify(errors));
  });

  test('java: the validator needs it and says so', () => {
    assert.equal(javaProblem(), null, 'java is installed here');
  });

  test('print: the navigation shows, a quote may break and the sample table is too wide', async () => {
    const context = await browser.newContext({ viewport: PRINT_VIEWPORT });
    try {
      const { problems } = await checkPrint(context, `${server.base}print.html`);
      assert.ok(problems.some((p) => p.startsWith('navigation is displayed in print: nav[aria-label="Site"]')), problems.join('\n'));
      assert.ok(problems.some((p) => p.startsWith('figure#quote-1.quote has break-inside: auto')), problems.join('\n'));
      assert.ok(problems.some((p) => p.startsWith('table.sample is ')), problems.join('\n'));
    } finally {
      await context.close();
    }
  });
}
