// The Nu HTML Checker (vnu-jar), run with the system Java.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import vnuJar from 'vnu-jar';

export const VNU_JAR = String(vnuJar);

/** Why Java cannot run, or null when it can. */
export function javaProblem() {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    return (
      'Java is missing: `java -version` failed. The Nu HTML Checker (vnu.jar) needs a Java runtime: ' +
      'run `apt-get update && apt-get install -y default-jre-headless`. No page was validated.'
    );
  }
  return null;
}

/**
 * Validates `files` (HTML, or SVG with `svg: true`) with
 * `java -jar vnu.jar --errors-only --format json`. Resolves to the list of
 * errors: { file, line, column, message, extract }. Throws when the checker
 * itself cannot run or says something that is not its JSON report.
 */
export function runVnu(files, { svg = false } = {}) {
  if (files.length === 0) return [];
  const problem = javaProblem();
  if (problem) throw new Error(problem);
  const args = ['-jar', VNU_JAR, '--errors-only', '--format', 'json', ...(svg ? ['--svg'] : []), ...files];
  const r = spawnSync('java', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw new Error(`could not run the Nu HTML Checker: ${r.error.message}`);
  if (r.status !== 0 && r.status !== 1) {
    throw new Error(`the Nu HTML Checker exited with ${r.status}: ${r.stderr}${r.stdout}`);
  }
  const text = [r.stderr, r.stdout].map((s) => s.trim()).find((s) => s.startsWith('{'));
  if (text === undefined) throw new Error(`the Nu HTML Checker printed no JSON report: ${r.stderr}${r.stdout}`);
  let report;
  try {
    report = JSON.parse(text);
  } catch (e) {
    throw new Error(`the Nu HTML Checker's report is not JSON (${e.message}): ${text.slice(0, 500)}`);
  }
  const errors = report.messages
    .filter((m) => m.type === 'error' || m.type === 'non-document-error')
    .map((m) => ({
      file: m.url && m.url.startsWith('file:') ? fileURLToPath(m.url) : m.url ?? '',
      line: m.lastLine ?? m.firstLine ?? 0,
      column: m.firstColumn ?? m.lastColumn ?? 0,
      message: m.message,
      extract: (m.extract ?? '').replace(/\s+/g, ' ').trim(),
    }));
  if (r.status === 1 && errors.length === 0) {
    throw new Error(`the Nu HTML Checker failed without reporting an error: ${text.slice(0, 500)}`);
  }
  return errors;
}

/** One line per error: "file:line:column: message [extract]". */
export function formatVnu(errors, relativeTo = '') {
  return errors.map((e) => {
    const file = relativeTo && e.file.startsWith(relativeTo) ? e.file.slice(relativeTo.length).replace(/^\//, '') : e.file;
    return `${file}:${e.line}:${e.column}: ${e.message}${e.extract ? ` [${e.extract}]` : ''}`;
  });
}
