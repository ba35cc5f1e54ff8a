// The browser checks, one function each, shared by the site tests and the
// tests that prove each check can fail (test/checkers.test.js). Every
// function returns what it found; the tests decide what is a failure.

import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
export const DESKTOP = { width: 1280, height: 800 };
export const MOBILE = { width: 390, height: 844 };
/** A4 is 210 mm wide; with 15 mm margins 180 mm are printable: 680 CSS px at 96 px/in. */
export const PDF_MARGIN = '15mm';
export const PRINT_VIEWPORT = { width: Math.floor((180 / 25.4) * 96), height: Math.floor((267 / 25.4) * 96) };

const LOCAL_HOST = '127.0.0.1';

/** True when loading `url` would reach anything but 127.0.0.1. */
export function isExternal(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return true;
  }
  if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'about:') return false;
  return u.hostname !== LOCAL_HOST;
}

/** An empty log of what went wrong while pages were loaded. */
export function newLog() {
  return { consoleErrors: [], pageErrors: [], failedRequests: [], externalRequests: [] };
}

/**
 * A fresh browser context whose every page is watched: console errors, page
 * errors, failed requests and HTTP errors go to `log`; a request to any host
 * but 127.0.0.1 is recorded in log.externalRequests and blocked before it
 * leaves the browser.
 */
export async function watchedContext(browser, log, options = {}) {
  const context = await browser.newContext({
    viewport: DESKTOP,
    colorScheme: 'light',
    serviceWorkers: 'block',
    ...options,
  });
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (isExternal(url)) {
      log.externalRequests.push({ url, from: frameUrl(route.request()) });
      await route.abort('blockedbyclient');
    } else {
      await route.continue();
    }
  });
  context.on('console', (message) => {
    if (message.type() === 'error') {
      const where = message.location();
      log.consoleErrors.push({
        text: message.text(),
        at: where && where.url ? `${where.url}:${where.lineNumber}` : message.page()?.url() ?? '',
      });
    }
  });
  context.on('weberror', (webError) => {
    log.pageErrors.push({ text: String(webError.error()?.message ?? webError.error()), at: webError.page()?.url() ?? '' });
  });
  context.on('requestfailed', (request) => {
    if (isExternal(request.url())) return; // already counted as external
    log.failedRequests.push({ url: request.url(), why: request.failure()?.errorText ?? 'failed', from: frameUrl(request) });
  });
  context.on('response', (response) => {
    if (response.status() >= 400) {
      log.failedRequests.push({ url: response.url(), why: `HTTP ${response.status()}`, from: frameUrl(response.request()) });
    }
  });
  return context;
}

function frameUrl(request) {
  try {
    return request.frame().url();
  } catch {
    return '';
  }
}

/**
 * Opens `url` in a new page of `context` and waits for its load event (every
 * image, stylesheet and script the page asked for while loading has loaded
 * or failed; the site runs no script that fetches more later), then for its
 * fonts. `networkidle` would add 500 ms of waiting to every page.
 */
export async function open(context, url, waitUntil = 'load') {
  const page = await context.newPage();
  await page.goto(url, { waitUntil });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  return page;
}

/** axe-core, injected from its own source, with the WCAG 2.1 A and AA rules. */
export async function runAxe(page) {
  await page.evaluate((source) => {
    if (!window.axe) (0, eval)(source);
  }, AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const results = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  }, AXE_TAGS);
}

/** Every URL the page refers to: links, images, stylesheets, scripts, media, SVG references. */
export async function collectLinks(page) {
  return page.evaluate(() => {
    const out = [];
    const describe = (el) => el.outerHTML.replace(/\s+/g, ' ').slice(0, 140);
    const add = (el, kind, value) => {
      if (value === null || value === undefined) return;
      const raw = value.trim();
      let url = null;
      try {
        url = new URL(raw, document.baseURI).href;
      } catch {
        url = null;
      }
      out.push({ kind, raw, url, element: describe(el) });
    };
    const srcset = (el, kind, value) => {
      if (!value) return;
      for (const candidate of value.split(',')) {
        const first = candidate.trim().split(/\s+/)[0];
        if (first) add(el, kind, first);
      }
    };
    for (const el of document.querySelectorAll('a[href], area[href]')) add(el, 'link', el.getAttribute('href'));
    for (const el of document.querySelectorAll('link[href]')) {
      const rel = (el.getAttribute('rel') || '').toLowerCase().split(/\s+/);
      add(el, rel.includes('stylesheet') ? 'stylesheet' : `link rel=${rel.join(' ')}`, el.getAttribute('href'));
    }
    for (const el of document.querySelectorAll('img[src], input[type="image"][src]')) add(el, 'image', el.getAttribute('src'));
    for (const el of document.querySelectorAll('img[srcset], source[srcset]')) srcset(el, 'image', el.getAttribute('srcset'));
    for (const el of document.querySelectorAll('script[src]')) add(el, 'script', el.getAttribute('src'));
    for (const el of document.querySelectorAll('iframe[src], embed[src], video[src], audio[src], source[src], track[src]'))
      add(el, 'media', el.getAttribute('src'));
    for (const el of document.querySelectorAll('video[poster]')) add(el, 'image', el.getAttribute('poster'));
    for (const el of document.querySelectorAll('object[data]')) add(el, 'media', el.getAttribute('data'));
    const XLINK = 'http://www.w3.org/1999/xlink';
    for (const el of document.querySelectorAll('svg a, svg image, svg use, svg feImage')) {
      const value = el.getAttribute('href') ?? el.getAttributeNS(XLINK, 'href');
      add(el, el.localName === 'a' ? 'link' : 'svg reference', value);
    }
    return out;
  });
}

/** The ids (and a[name] anchors) of the page: the fragments that can point into it. */
export async function collectIds(page) {
  return page.evaluate(() => {
    const ids = [...document.querySelectorAll('[id]')].map((el) => el.id);
    const names = [...document.querySelectorAll('a[name]')].map((el) => el.getAttribute('name'));
    return [...ids, ...names];
  });
}

/**
 * A link resolver for one server origin: fetches every same-origin URL once
 * (cached) and checks fragments against the target's ids. `idsOf(url)` must
 * resolve to a Set of the ids of the document at `url`.
 */
export function linkResolver({ origin, idsOf }) {
  const fetched = new Map();
  const fetchOnce = (url) => {
    if (!fetched.has(url)) {
      fetched.set(
        url,
        fetch(url, { redirect: 'manual' }).then(async (res) => ({
          status: res.status,
          type: res.headers.get('content-type') ?? '',
          text: res.ok ? await res.text() : '',
        })),
      );
    }
    return fetched.get(url);
  };

  async function check(links) {
    const broken = [];
    const queue = [...links];
    const seenCss = new Set();
    while (queue.length > 0) {
      const link = queue.shift();
      if (link.url === null) {
        broken.push({ ...link, why: 'not a valid URL' });
        continue;
      }
      const u = new URL(link.url);
      if (u.origin !== origin) continue; // outside the site: not fetched (and never loaded by the page: see the network check)
      const hash = u.hash;
      u.hash = '';
      const target = u.href;
      const res = await fetchOnce(target);
      if (res.status !== 200) {
        broken.push({ ...link, why: `HTTP ${res.status} for ${target}` });
        continue;
      }
      if (hash.length > 1 && /text\/html|image\/svg\+xml/.test(res.type)) {
        let fragment;
        try {
          fragment = decodeURIComponent(hash.slice(1));
        } catch {
          fragment = hash.slice(1);
        }
        const ids = await idsOf(target);
        if (!ids.has(fragment)) broken.push({ ...link, why: `no element with id "${fragment}" on ${target}` });
      }
      if (link.kind === 'stylesheet' && /text\/css/.test(res.type) && !seenCss.has(target)) {
        seenCss.add(target);
        for (const ref of cssReferences(res.text)) {
          let url = null;
          try {
            url = new URL(ref, target).href;
          } catch {
            url = null;
          }
          const kind = /\.css(\?|#|$)/.test(ref) ? 'stylesheet' : 'css url()';
          queue.push({ kind, raw: ref, url, element: `in ${target}` });
        }
      }
    }
    return broken;
  }

  return { check, fetchOnce };
}

/** url(...) and @import references of a stylesheet (data: URLs and fragment-only SVG references excluded). */
export function cssReferences(css) {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  const refs = [];
  const urlPattern = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)/g;
  for (const m of text.matchAll(urlPattern)) refs.push(m[1] ?? m[2] ?? m[3]);
  const importPattern = /@import\s+(?:"([^"]*)"|'([^']*)')/g;
  for (const m of text.matchAll(importPattern)) refs.push(m[1] ?? m[2]);
  return refs.filter((r) => r && !r.startsWith('data:') && !r.startsWith('#'));
}

/**
 * Run in the page: whether an element shows that it has focus, and where it
 * is. With `mark`, the focused element is also numbered (data-tab-stop) the
 * first time it is seen, and `stop` is its number: one round trip per Tab.
 */
function focusState(mark = false) {
  const el = document.activeElement;
  const main = document.querySelector('main, [role="main"]');
  if (!el || el === document.body || el === document.documentElement) {
    return { none: true, desc: 'nothing (the body)' };
  }
  const desc = (() => {
    let s = el.localName;
    if (el.id) s += `#${el.id}`;
    if (el.classList.length) s += `.${[...el.classList].join('.')}`;
    const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    const href = el.getAttribute('href');
    return `<${s}${href !== null ? ` href="${href}"` : ''}>${text ? ` "${text}"` : ''}`;
  })();
  const cs = getComputedStyle(el);
  const transparent = (c) => c === 'transparent' || /rgba\([^)]*,\s*0\)$/.test(c);
  const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0 && !transparent(cs.outlineColor);
  const shadow = cs.boxShadow !== 'none' && cs.boxShadow !== '';
  const r = el.getBoundingClientRect();
  const onScreen = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
  let target = null;
  const href = el.localName === 'a' ? el.getAttribute('href') : null;
  if (href && href.startsWith('#') && href.length > 1) {
    let id = href.slice(1);
    try {
      id = decodeURIComponent(id);
    } catch {
      /* keep it raw */
    }
    target = document.getElementById(id);
  }
  return {
    none: false,
    desc,
    isMain: el === main,
    isSkipLink: target !== null && target === main && (el.textContent || '').trim() !== '',
    indicator: outline || shadow,
    onScreen,
    outline: `${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}`,
    stop: mark ? (el.dataset.tabStop ||= String(document.querySelectorAll('[data-tab-stop]').length + 1)) : null,
  };
}

/**
 * Keyboard: from a fresh page, the first Tab reaches a skip link to <main>,
 * Enter on it moves focus to <main>, and every element Tab reaches shows
 * that it has focus (an outline or a box-shadow) on screen.
 * Returns a list of problems (strings).
 */
export async function checkKeyboard(context, url, maxTabs = 600) {
  const problems = [];
  const page = await context.newPage();
  try {
    await page.goto(url, { waitUntil: 'load' });
    await page.keyboard.press('Tab');
    const first = await page.evaluate(focusState);
    if (first.none || !first.isSkipLink) {
      problems.push(`the first Tab focuses ${first.desc}, not a skip link to the main element`);
    } else {
      if (!first.indicator || !first.onScreen) {
        problems.push(`the focused skip link is not visible (outline: ${first.outline}; on screen: ${first.onScreen})`);
      }
      await page.keyboard.press('Enter');
      const after = await page.evaluate(focusState);
      if (!after.isMain) problems.push(`Enter on the skip link leaves focus on ${after.desc}, not on the main element`);
    }

    // Walk the whole tab order of a fresh load: every stop must show focus.
    await page.goto(url, { waitUntil: 'load' });
    const seen = new Set();
    for (let i = 0; i < maxTabs; i += 1) {
      await page.keyboard.press('Tab');
      const state = await page.evaluate(focusState, true);
      if (state.none) break;
      if (seen.has(state.stop)) break;
      seen.add(state.stop);
      if (!state.indicator) problems.push(`focus is not visible on ${state.desc} (outline: ${state.outline}, no box-shadow)`);
      else if (!state.onScreen) problems.push(`the focused ${state.desc} is off screen`);
    }
  } finally {
    await page.close();
  }
  return problems;
}

/**
 * Horizontal overflow at the context's width: the page must not scroll
 * sideways, and a table wider than its box must scroll inside that box
 * (overflow-x auto or scroll), not be cut off.
 */
export async function checkOverflow(context, url) {
  const page = await open(context, url, 'load');
  try {
    return await measureOverflow(page);
  } finally {
    await page.close();
  }
}

/** The overflow measurement of checkOverflow, on a page already open. */
export async function measureOverflow(page) {
  return page.evaluate(() => {
    const de = document.documentElement;
    const cw = de.clientWidth;
    const sw = de.scrollWidth;
    const describe = (el) => {
      let s = el.localName;
      if (el.id) s += `#${el.id}`;
      if (el.classList.length) s += `.${[...el.classList].join('.')}`;
      return s;
    };
    const clips = (el) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== 'visible') return true;
      }
      return false;
    };
    const offenders = [];
    if (sw > cw) {
      const flagged = [];
      for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if ((r.right > cw + 0.5 || r.left < -0.5) && r.width > 0 && !clips(el) && !flagged.some((f) => f.contains(el))) {
          flagged.push(el);
          offenders.push(`${describe(el)} spans ${Math.round(r.left)}–${Math.round(r.right)} px`);
        }
      }
    }
    const cutTables = [];
    for (const table of document.querySelectorAll('table')) {
      const box = table.parentElement;
      const width = Math.max(table.scrollWidth, table.getBoundingClientRect().width);
      if (width > box.clientWidth + 0.5) {
        const ox = getComputedStyle(box).overflowX;
        if (ox !== 'auto' && ox !== 'scroll') {
          cutTables.push(`${describe(table)} (${Math.round(width)} px) in ${describe(box)} (${box.clientWidth} px, overflow-x: ${ox})`);
        }
      }
    }
    return { scrollWidth: sw, clientWidth: cw, overflows: sw > cw || cutTables.length > 0, offenders: offenders.slice(0, 10), cutTables };
  });
}

/**
 * Print: under print-media emulation at the printable width of A4, no
 * navigation is displayed, every figure.quote has break-inside: avoid, every
 * table.sample fits, and nothing makes the page wider than the paper. With
 * `pdfPath`, also prints the page to an A4 PDF there.
 */
export async function checkPrint(context, url, pdfPath = null) {
  const page = await open(context, url, 'load');
  try {
    await page.setViewportSize(PRINT_VIEWPORT);
    await page.emulateMedia({ media: 'print' });
    const found = await page.evaluate(() => {
      const problems = [];
      const describe = (el) => {
        let s = el.localName;
        if (el.id) s += `#${el.id}`;
        if (el.classList.length) s += `.${[...el.classList].join('.')}`;
        const label = el.getAttribute('aria-label');
        return label ? `${s}[aria-label="${label}"]` : s;
      };
      const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
      for (const nav of document.querySelectorAll('nav, [role="navigation"]')) {
        if (shown(nav)) problems.push(`navigation is displayed in print: ${describe(nav)}`);
      }
      const quotes = [...document.querySelectorAll('figure.quote')];
      for (const q of quotes) {
        const value = getComputedStyle(q).breakInside;
        if (value !== 'avoid') problems.push(`${describe(q)} has break-inside: ${value}, not avoid`);
      }
      const de = document.documentElement;
      const tables = [...document.querySelectorAll('table.sample')];
      for (const t of tables) {
        const box = t.parentElement;
        const width = Math.max(t.scrollWidth, t.getBoundingClientRect().width);
        const right = t.getBoundingClientRect().right;
        if (width > box.clientWidth + 0.5 || right > de.clientWidth + 0.5) {
          problems.push(`${describe(t)} is ${Math.round(width)} px wide (right edge ${Math.round(right)} px) but the printable width is ${de.clientWidth} px and its box ${box.clientWidth} px`);
        }
      }
      if (de.scrollWidth > de.clientWidth) problems.push(`the printed page is ${de.scrollWidth} px wide, wider than the paper (${de.clientWidth} px)`);
      return { problems, quotes: quotes.length, sampleTables: tables.length };
    });
    if (pdfPath) {
      await page.pdf({
        path: pdfPath,
        format: 'A4',
        printBackground: true,
        margin: { top: PDF_MARGIN, right: PDF_MARGIN, bottom: PDF_MARGIN, left: PDF_MARGIN },
      });
      const head = fs.readFileSync(pdfPath).subarray(0, 5).toString('latin1');
      if (head !== '%PDF-') found.problems.push(`${pdfPath} is not a PDF`);
    }
    return found;
  } finally {
    await page.close();
  }
}

/**
 * Everything checked on one page URL, in fresh contexts:
 * at 1280 px (light): network and console, axe, links, ids, keyboard;
 * at 390 px (dark colour scheme): network and console, axe, horizontal overflow.
 */
export async function inspectPage(browser, url) {
  const log = newLog();
  const result = { url, log, axe: [], links: [], ids: [], keyboard: [], overflow: null };
  const desktop = await watchedContext(browser, log, { viewport: DESKTOP, colorScheme: 'light' });
  try {
    const page = await open(desktop, url);
    for (const v of await runAxe(page)) result.axe.push({ ...v, view: '1280 px, light' });
    result.links = await collectLinks(page);
    result.ids = await collectIds(page);
    await page.close();
    result.keyboard = await checkKeyboard(desktop, url);
  } finally {
    await desktop.close();
  }
  const mobile = await watchedContext(browser, log, { viewport: MOBILE, colorScheme: 'dark' });
  try {
    const page = await open(mobile, url);
    result.overflow = await measureOverflow(page);
    for (const v of await runAxe(page)) result.axe.push({ ...v, view: '390 px, dark' });
    await page.close();
  } finally {
    await mobile.close();
  }
  return result;
}

/**
 * Only what must hold at every mount, for one page URL: the page loads at
 * 1280 px with no failed or external request and no console or page error,
 * and its links and ids are collected for the link resolver. (The full
 * checks of inspectPage do not depend on where the site is mounted.)
 */
export async function inspectLinks(browser, url) {
  const log = newLog();
  const result = { url, log, links: [], ids: [] };
  const context = await watchedContext(browser, log, { viewport: DESKTOP, colorScheme: 'light' });
  try {
    const page = await open(context, url);
    result.links = await collectLinks(page);
    result.ids = await collectIds(page);
    await page.close();
  } finally {
    await context.close();
  }
  return result;
}

/** A heading is painted when at least this share of its box is ink. */
export const MIN_INK = 0.02;

/**
 * What a reader sees first, on a page just loaded: the page has an h1 (the
 * one in main, if any) with text that begins the document title; the h1
 * lies wholly inside the viewport; and it is painted: in a screenshot of its
 * box, at least MIN_INK of the pixels are ink (far from the box's most
 * common colour). Returns a list of problems (strings).
 */
export async function checkVisible(page) {
  const heading = await page.evaluate(() => {
    const h1 = document.querySelector('main h1') ?? document.querySelector('h1');
    if (!h1) return null;
    const r = h1.getBoundingClientRect();
    return {
      text: (h1.textContent ?? '').replace(/\s+/g, ' ').trim(),
      title: document.title.replace(/\s+/g, ' ').trim(),
      box: { left: r.left, top: r.top, right: r.right, bottom: r.bottom },
      viewport: { width: innerWidth, height: innerHeight },
    };
  });
  if (heading === null) return ['the page has no h1'];
  const problems = [];
  const { text, title, box, viewport } = heading;
  if (text === '') problems.push('the h1 has no text');
  else if (!title.startsWith(text)) problems.push(`the h1 "${text}" does not begin the title "${title}"`);
  const inside = box.right > box.left && box.bottom > box.top && box.left >= 0 && box.top >= 0 && box.right <= viewport.width && box.bottom <= viewport.height;
  if (!inside) {
    const at = `${Math.round(box.left)},${Math.round(box.top)} to ${Math.round(box.right)},${Math.round(box.bottom)}`;
    problems.push(`the h1 is not wholly inside the ${viewport.width}×${viewport.height} px viewport (it spans ${at})`);
    return problems;
  }
  const png = await page.screenshot({
    clip: { x: box.left, y: box.top, width: box.right - box.left, height: box.bottom - box.top },
  });
  const ink = await inkFraction(page.context(), png);
  if (ink < MIN_INK) problems.push(`the h1 is not painted: ${(ink * 100).toFixed(1)}% of its box is ink, less than ${MIN_INK * 100}%`);
  return problems;
}

/**
 * The share of a PNG's pixels that are ink: far (a summed RGB distance over
 * 96) from the image's most common colour, its background. Decoded by the
 * browser, in a blank page of `context`, so no image library is needed.
 */
export async function inkFraction(context, png) {
  const page = await context.newPage();
  try {
    return await page.evaluate(async (base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const drawing = canvas.getContext('2d');
      drawing.drawImage(bitmap, 0, 0);
      const { data } = drawing.getImageData(0, 0, bitmap.width, bitmap.height);
      const pixels = data.length / 4;
      if (pixels === 0) return 0;
      const counts = new Map();
      for (let i = 0; i < data.length; i += 4) {
        const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      let background = 0;
      let most = -1;
      for (const [key, n] of counts) {
        if (n > most) {
          most = n;
          background = key;
        }
      }
      const [red, green, blue] = [(background >> 16) & 255, (background >> 8) & 255, background & 255];
      let ink = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs(data[i] - red) + Math.abs(data[i + 1] - green) + Math.abs(data[i + 2] - blue) > 96) ink += 1;
      }
      return ink / pixels;
    }, png.toString('base64'));
  } finally {
    await page.close();
  }
}

/** A cache of the ids of documents, filled from inspected pages and, for others, by loading them. */
export function idsCache(browser) {
  const cache = new Map();
  let contextPromise = null;
  async function idsOf(url) {
    if (!cache.has(url)) {
      cache.set(
        url,
        (async () => {
          contextPromise ??= browser.newContext({ serviceWorkers: 'block' }).then(async (c) => {
            await c.route('**/*', (route) => (isExternal(route.request().url()) ? route.abort('blockedbyclient') : route.continue()));
            return c;
          });
          const context = await contextPromise;
          const page = await context.newPage();
          try {
            await page.goto(url, { waitUntil: 'load' });
            return new Set(await collectIds(page));
          } finally {
            await page.close();
          }
        })(),
      );
    }
    return cache.get(url);
  }
  return {
    idsOf,
    remember: (url, ids) => cache.set(url, Promise.resolve(new Set(ids))),
    close: async () => {
      if (contextPromise) await (await contextPromise).close();
    },
  };
}

/** One line per axe violation node: "rule-id at target (view): help". */
export function formatAxe(violations) {
  return violations.flatMap((v) => v.nodes.map((n) => `${v.id} at ${n.target} (${v.view ?? ''}): ${v.help}`));
}
