// Building the bundled study with the release binary, and finding its files.

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
 * `cargo build --release`, then `target/release/findings build data -o <tmp>`.
 * Returns the output folder.
 */
export function buildBundledStudy() {
  run('cargo', ['build', '--release'], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'findings-browser-')), 'site');
  const binary = path.join(REPO_ROOT, 'target', 'release', 'findings');
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
