#!/usr/bin/env bash
# The scale benchmark of issue 12: builds synthetic studies of N quotes with
# `findings build` and, when Hugo is available, the same content with Hugo,
# in turn in the same run, and prints wall time, CPU time (user + sys),
# CPU/wall, peak memory (RSS), pages and bytes written: the median of each
# over the repeats. Tests never assert timings; this does the measuring.
#
#   bash bench/run.sh [--sizes "1000 10000 100000"] [--repeats 3]
#                     [--quotes-per-file 5000] [--install] [--no-hugo]
#                     [--work DIR] [--keep]
#
#   --sizes     the numbers of quotes to build (default: 1000 10000 100000)
#   --repeats   runs of each build; the median is reported (default: 3)
#   --quotes-per-file
#               K: the study's quotes are split over the files of
#               `quotes/`, K quotes each, as a large study splits them
#               (default: 5000); the row `findings-1f` builds the same
#               study with every quote in one `quotes.yaml`. 0: one
#               `quotes.yaml` only
#   --install   install what is missing (GNU time, Hugo) with apt-get
#   --no-hugo   measure findings only
#   --work DIR  where the studies and sites go (default: a new temporary
#               folder); must be new or empty, and is removed at the end
#               unless --keep is given
#
# Steps: `cargo build --release` of the findings binary and the gen-study
# example (in $CARGO_TARGET_DIR, default target/); for each N, gen-study
# writes the study (N quotes, N/20 participants, 4 per service, 20 themes of
# 4 subthemes, 5 % exchanges; quotes split over files of K quotes, and
# again in one file) and the same content as a Hugo site (one page
# per theme, participant and service, quotes as blockquotes with their
# attribution, minimal layouts); `findings check --deny-warnings` must pass;
# then each repeat runs `findings build` and `hugo` one after the other,
# each into a new output folder, under `/usr/bin/time`. The sites are
# removed only at the end: on ext4, creating files in the minute after
# thousands were deleted costs several times more kernel time (the inode
# allocator skips recently freed inodes), which would measure the
# previous run's clean-up rather than the build. Pages are the .html files written; bytes are the
# apparent size of the whole output folder. See docs/performance.md.
set -euo pipefail

sizes="1000 10000 100000"
repeats=3
quotes_per_file=5000
install=false
hugo_wanted=true
work=""
keep=false
while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) sizes="$2"; shift 2 ;;
        --repeats) repeats="$2"; shift 2 ;;
        --quotes-per-file) quotes_per_file="$2"; shift 2 ;;
        --install) install=true; shift ;;
        --no-hugo) hugo_wanted=false; shift ;;
        --work) work="$2"; shift 2 ;;
        --keep) keep=true; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
case "$repeats" in ''|*[!0-9]*|0) echo "run.sh: --repeats must be a whole number of at least 1" >&2; exit 2 ;; esac
case "$quotes_per_file" in ''|*[!0-9]*) echo "run.sh: --quotes-per-file must be a whole number" >&2; exit 2 ;; esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
findings="$target/release/findings"
gen_study="$target/release/examples/gen-study"

apt_install() {
    if [ "$(id -u)" -eq 0 ]; then apt-get install -y "$@"; else sudo apt-get install -y "$@"; fi
}

if [ ! -x /usr/bin/time ]; then
    if $install; then apt_install time >&2; else
        echo "run.sh: /usr/bin/time (GNU time) is missing; install it (apt-get install time) or pass --install" >&2
        exit 2
    fi
fi
hugo_found=false
if $hugo_wanted; then
    if ! command -v hugo >/dev/null && $install; then apt_install hugo >&2; fi
    if command -v hugo >/dev/null; then hugo_found=true; else
        echo "run.sh: hugo is not installed: measuring findings only (pass --install to install it)" >&2
    fi
fi

if [ -z "$work" ]; then
    work="$(mktemp -d "${TMPDIR:-/tmp}/findings-bench.XXXXXX")"
elif [ -e "$work" ] && [ -n "$(ls -A "$work")" ]; then
    echo "run.sh: $work is not empty; give a new or empty folder" >&2
    exit 2
fi
mkdir -p "$work"
if ! $keep; then trap 'rm -rf -- "$work"' EXIT; fi

(cd "$root" && cargo build --release --locked --bin findings --example gen-study) >&2

# Runs "$@" under GNU time; prints "wall user+sys maxrss_kib".
timed() {
    local times="$work/time.txt"
    /usr/bin/time -f '%e %U %S %M' -o "$times" "$@" >"$work/run.log" 2>&1 || {
        echo "run.sh: failed: $*" >&2
        cat "$work/run.log" >&2
        exit 1
    }
    awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$times"
}

# Prints "pages bytes" of an output folder.
written() {
    local pages bytes
    pages="$(find "$1" -type f -name '*.html' | wc -l)"
    bytes="$(du -sb --apparent-size "$1" | cut -f1)"
    echo "$pages $bytes"
}

# The median of the numbers on stdin.
median() {
    sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Runs one build of N quotes with the tool and appends "wall cpu rss pages
# bytes" to the tool's results for N.
measure() {
    local tool="$1" n="$2" repeat="$3" out="$work/$n/site-$1-$3"
    local figures
    case "$tool" in
        findings) figures="$(timed "$findings" build "$work/$n/study" -o "$out")" ;;
        findings-1f) figures="$(timed "$findings" build "$work/$n/study-1f" -o "$out")" ;;
        hugo) figures="$(timed hugo --quiet --source "$work/$n/hugo" --destination "$out")" ;;
    esac
    echo "$figures $(written "$out")" >>"$work/$n/$tool.txt"
}

# Prints the median of column $2 of file $1.
column_median() { awk -v c="$2" '{ print $c }' "$1" | median; }

echo "# findings $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "# $(nproc) cores, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) memory, $repeats repeats (median)"
if $hugo_found; then echo "# $(hugo version)"; fi
echo "# findings: quotes in files of $quotes_per_file (0: one quotes.yaml); findings-1f: one quotes.yaml"
printf '%-11s %8s %8s %8s %8s %9s %7s %9s\n' tool quotes wall_s cpu_s cpu/wall peak_MiB pages MB
tools="findings"
if [ "$quotes_per_file" -gt 0 ]; then tools="findings findings-1f"; fi
if $hugo_found; then tools="$tools hugo"; fi
for n in $sizes; do
    mkdir -p "$work/$n"
    if [ "$quotes_per_file" -gt 0 ]; then
        "$gen_study" --quotes-per-file "$quotes_per_file" "$n" "$work/$n/study" >&2
        "$gen_study" "$n" "$work/$n/study-1f" >&2
        "$findings" check "$work/$n/study-1f" --deny-warnings >&2
    else
        "$gen_study" "$n" "$work/$n/study" >&2
    fi
    "$findings" check "$work/$n/study" --deny-warnings >&2
    if $hugo_found; then "$gen_study" --hugo "$n" "$work/$n/hugo" >&2; fi
    for repeat in $(seq "$repeats"); do
        for tool in $tools; do measure "$tool" "$n" "$repeat"; done
    done
    for tool in $tools; do
        file="$work/$n/$tool.txt"
        wall="$(column_median "$file" 1)"
        cpu="$(column_median "$file" 2)"
        rss="$(column_median "$file" 3)"
        pages="$(column_median "$file" 4)"
        bytes="$(column_median "$file" 5)"
        echo "$wall $rss" >"$work/$n/$tool.median"
        awk -v t="$tool" -v n="$n" -v w="$wall" -v c="$cpu" -v r="$rss" -v p="$pages" -v b="$bytes" 'BEGIN {
            printf "%-11s %8d %8.2f %8.2f %8.2f %9.1f %7d %9.1f\n", t, n, w, c, (w > 0 ? c / w : 0), r / 1024, p, b / 1e6 }'
    done
    if $hugo_found; then
        read -r fw fr <"$work/$n/findings.median"
        read -r hw hr <"$work/$n/hugo.median"
        awk -v n="$n" -v fw="$fw" -v fr="$fr" -v hw="$hw" -v hr="$hr" 'BEGIN {
            printf "%-11s %8d findings/hugo: time %.2f, memory %.2f\n", "ratio", n, (hw > 0 ? fw / hw : 0), (hr > 0 ? fr / hr : 0) }'
    fi
done
