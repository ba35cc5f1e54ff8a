#!/usr/bin/env python3
"""Runs `findings check` and `findings build` on every case of the fixture
corpus (tests/fixtures/invalid/, overlays on tests/fixtures/valid/) with a
release binary, and prints each run's wall time and peak memory, largest
first. Issue 10 asks that no input of the corpus runs longer than 5 s or
uses more than 1 GiB; this measures it (tests never assert timings).

Cases the test harness makes in code (FIFOs, sparse files, Latin-1 names)
are made here the same way where they matter for time or memory.

    cargo build --release && python3 bench/corpus-limits.py [target/release/findings]
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
CASE_FILES = {"expected.txt", "remove.txt", "note.md"}


def overlay(case: Path, study: Path) -> None:
    shutil.copytree(FIXTURES / "valid", study)
    for path in case.rglob("*"):
        relative = path.relative_to(case)
        if str(relative) in CASE_FILES:
            continue
        target = study / relative
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    remove = case / "remove.txt"
    if remove.exists():
        for line in remove.read_text().split("\n"):
            if line.strip():
                target = study / line.strip()
                if target.is_dir():
                    shutil.rmtree(target)
                elif target.exists():
                    target.unlink()
    name = case.name
    if name == "file-too-large":
        with open(study / "quotes.yaml", "r+b") as quotes:
            quotes.truncate(64 * 1024 * 1024 + 1)
    elif name == "fifo":
        for relative in ["sections/03-pipe.md", "templates/partials/pipe.html", "static/feed.txt"]:
            (study / relative).parent.mkdir(parents=True, exist_ok=True)
            os.mkfifo(study / relative)
    elif name == "large-narrative":
        text = "---\nid: notes\ntitle: Notes\n---\n" + "[" * (1024 * 1024) + "\n\n"
        text += "See [@braun2006], @kimberlee2015 [p. 3] and [...].\n" * 50_000
        (study / "sections" / "03-notes.md").write_text(text)


def measure(binary: str, arguments: list, cwd: Path) -> tuple:
    started = time.monotonic()
    child = subprocess.Popen([binary, *arguments], cwd=cwd, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, env={**os.environ, "CI": "1"})
    try:
        _, status, usage = os.wait4(child.pid, 0)
    except KeyboardInterrupt:
        child.kill()
        raise
    elapsed = time.monotonic() - started
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> None:
    binary = str(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "target" / "release" / "findings").resolve())
    rows = []
    for case in sorted(path for path in (FIXTURES / "invalid").iterdir() if path.is_dir()):
        with tempfile.TemporaryDirectory() as temp:
            temp = Path(temp)
            overlay(case, temp / "study")
            for command in (["check", "study"], ["build", "study", "-o", "site"]):
                seconds, mib, code = measure(binary, command, temp)
                rows.append((seconds, mib, code, case.name, command[0]))
    rows.sort(reverse=True)
    print(f"{'seconds':>8} {'peak MiB':>9} exit  case")
    for seconds, mib, code, name, command in rows:
        print(f"{seconds:8.3f} {mib:9.1f} {code:4}  {name} ({command})")
    slowest, largest = max(row[0] for row in rows), max(row[1] for row in rows)
    print(f"{len(rows)} runs; slowest {slowest:.3f} s, largest {largest:.1f} MiB "
          f"(limits: 5 s, 1024 MiB): {'within' if slowest < 5 and largest < 1024 else 'OVER'}")


if __name__ == "__main__":
    main()
