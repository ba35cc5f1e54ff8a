// Building the bundled study with the findings binary, and finding its files.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tests/browser/lib/../../..). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** Where screenshots, PDFs and the summary go. */
export const REPORT_DIR = path.join(REPO_ROOT, 'target', 'browser-report');

function run(command, args, options) {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (r.error) throw new Error(`could not run ${command}: ${r.error.message}`);
  if (r.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${r.status}\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}

/**
 * `cargo build --locked --bin findings` (the debug build, which `cargo test`
 * has already made in CI, so nothing is compiled twice; it writes the same
 * site as a release build), then `findings build data -o <tmp>/site`.
 * The binary is found from cargo's own report, so CARGO_TARGET_DIR is
 * honoured. Returns the output folder.
 */
export function buildBundledStudy() {
  const built = run('cargo', ['build', '--locked', '--bin', 'findings', '--message-format=json-render-diagnostics'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const binary = built.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line))
    .find((message) => message.reason === 'compiler-artifact' && message.target?.name === 'findings' && message.executable)?.executable;
  if (!binary) throw new Error('`cargo build --bin findings` reported no executable for findings');
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'findings-browser-')), 'site');
  run(binary, ['build', 'data', '-o', out, '--color', 'never'], { cwd: REPO_ROOT });
  return out;
}

/** Every file under `dir` whose name ends with `ext`, as sorted paths relative to `dir` (with "/"). */
export function filesWithExtension(dir, ext) {
  const found = [];
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() && entry.name.endsWith(ext)) found.push(child);
    }
  };
  walk('');
  return found.sort();
}
