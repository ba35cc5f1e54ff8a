// The counts the suite reports at the end; every one must be zero.

export const COUNTS = [
  ['axe', 'axe violations (WCAG 2.1 A/AA, one per rule and element)'],
  ['validator', 'validator errors (Nu HTML Checker)'],
  ['console', 'console errors'],
  ['pageErrors', 'page errors (uncaught exceptions)'],
  ['failedRequests', 'failed requests (network failure or HTTP >= 400)'],
  ['external', 'external requests (any host but 127.0.0.1)'],
  ['brokenLinks', 'broken links (links, images, stylesheets, scripts, fragments)'],
  ['overflowing', 'overflowing pages (horizontal scrolling at 390 px)'],
  ['keyboard', 'keyboard problems (skip link, focus to main, visible focus)'],
  ['print', 'print problems (navigation, quotes, sample table, width)'],
];

export function newTotals(mounts) {
  const totals = { pages: Object.fromEntries(mounts.map((m) => [m, 0])) };
  for (const [key] of COUNTS) totals[key] = 0;
  return totals;
}

/**
 * Adds one inspected page and its broken links to `totals`: a page of
 * checks.inspectPage (every check) or of checks.inspectLinks (the load and
 * the links only; the checks it does not run add nothing).
 */
export function tally(totals, mount, result, brokenLinks) {
  totals.pages[mount] = (totals.pages[mount] ?? 0) + 1;
  totals.axe += (result.axe ?? []).reduce((n, v) => n + v.nodes.length, 0);
  totals.console += result.log.consoleErrors.length;
  totals.pageErrors += result.log.pageErrors.length;
  totals.failedRequests += result.log.failedRequests.length;
  totals.external += result.log.externalRequests.length;
  totals.brokenLinks += brokenLinks.length;
  totals.overflowing += result.overflow && result.overflow.overflows ? 1 : 0;
  totals.keyboard += (result.keyboard ?? []).length;
  return totals;
}

/** The names of the counts that are not zero. */
export function nonZero(totals) {
  return COUNTS.filter(([key]) => totals[key] !== 0).map(([key]) => key);
}

export function formatSummary(totals, notes = {}) {
  const lines = ['', '== browser suite summary'];
  const pages = Object.entries(totals.pages)
    .map(([mount, n]) => `${n} at ${mount}`)
    .join(', ');
  lines.push(`pages checked: ${pages}${notes.pages ? ` (${notes.pages})` : ''}`);
  for (const [key, label] of COUNTS) {
    lines.push(`${label}: ${totals[key]}${notes[key] ? ` (${notes[key]})` : ''}`);
  }
  const bad = nonZero(totals);
  lines.push(bad.length === 0 ? 'every count is 0' : `NOT ZERO: ${bad.join(', ')}`);
  return lines.join('\n');
}
