#!/usr/bin/env bash
# The locdrift benchmark: generated corpora of 10k, 30k and 90k files, hyperfine runs of
# `locdrift check --format json` (cold, without cache, warm, after 3 changed files, on 3
# named files) against the parse floor, thread scaling, peak memory and recall.
#
#   bench/run.sh                       # all sizes, results in target/bench/
#   SIZES="10k" RUNS=5 bench/run.sh    # a quick look
#
# Corpora go to $BENCH_DIR (default /var/tmp/locdrift-bench), not /tmp: a tree of locale
# folders in /tmp would be found by layout detection in other programs' temporary dirs.
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH_DIR=${BENCH_DIR:-/var/tmp/locdrift-bench}
OUT=${OUT:-target/bench}
SIZES=${SIZES:-"10k 30k 90k"}
RUNS=${RUNS:-10}
LOCALES=8

need() {
    # Debian packages: hyperfine, and GNU time for peak memory (/usr/bin/time -v).
    command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }
    [ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }
}
need
mkdir -p "$OUT" "$BENCH_DIR"

cargo build --release --quiet --bin locdrift --example gen-corpus --example parse-floor
LOCDRIFT=$PWD/target/release/locdrift
FLOOR=$PWD/target/release/examples/parse-floor
GEN=$PWD/target/release/examples/gen-corpus

{
    echo "# locdrift benchmark, $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD)"
    echo
    echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
        "$(free -g | awk '/Mem:/ {print $2}') GB RAM; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$OUT/summary.md"

sources_for() {
    # Files = sources * (1 + locales): 10k ~ 1,111 sources, 90k = 10,000.
    case $1 in
        10k) echo 1111 ;;
        30k) echo 3333 ;;
        90k) echo 10000 ;;
        *) echo "unknown size $1" >&2; exit 2 ;;
    esac
}

for size in $SIZES; do
    dir=$BENCH_DIR/corpus-$size
    if [ ! -f "$dir/expected.jsonl" ]; then
        "$GEN" "$dir" --files "$(sources_for "$size")" --locales $LOCALES --seed 1 | tee -a "$OUT/summary.md"
    fi
    # Three files a commit might touch: a translation, another locale's, a source.
    mapfile -t changed < <(cd "$dir" && { find sv-se -name '*.md' | sort | sed -n 100p;
        find ja-jp -name '*.md' | sort | sed -n 200p; find en-us -name '*.md' | sort | sed -n 300p; })
    touch_changed="cd $dir && for f in ${changed[*]}; do printf '\n' >> \$f; done"
    rm -rf "$dir/.locdrift-cache"

    echo "== $size: recall" | tee -a "$OUT/summary.md"
    "$LOCDRIFT" check "$dir" --format json --no-cache >"$OUT/report-$size.json" || true
    # A miss or an unexpected finding is a result to report, not a reason to stop.
    { "$GEN" "$dir" --verify "$OUT/report-$size.json" || true; } | grep -v 'reported$' | tail -8 | tee -a "$OUT/summary.md"

    echo "== $size: wall time" | tee -a "$OUT/summary.md"
    # One --prepare per command, in order; hyperfine runs each command's runs in turn,
    # so the warm runs find the cache the cold runs left. "parse floor + model" builds
    # every file's model and nothing else; "io-error only" does what a full check does
    # but runs one rule that costs nothing. Together they split the distance from the
    # floor into the model, the pipeline around it (pairing, groups, report) and the rules.
    hyperfine -i --runs "$RUNS" --warmup 1 \
        --export-markdown "$OUT/time-$size.md" --export-json "$OUT/time-$size.json" \
        --prepare true -n "parse floor" "$FLOOR $dir" \
        --prepare true -n "parse floor + model" "$FLOOR --model $dir" \
        --prepare true -n "check, no cache, io-error only" "$LOCDRIFT check $dir --format json --no-cache --select io-error" \
        --prepare true -n "check, no cache" "$LOCDRIFT check $dir --format json --no-cache" \
        --prepare "rm -rf $dir/.locdrift-cache" -n "check, cold cache" "$LOCDRIFT check $dir --format json" \
        --prepare true -n "check, warm cache" "$LOCDRIFT check $dir --format json" \
        --prepare "$touch_changed" -n "check, warm, 3 files changed" "$LOCDRIFT check $dir --format json" \
        --prepare "$touch_changed" -n "check 3 named files" "cd $dir && $LOCDRIFT check ${changed[*]} --format json"
    cat "$OUT/time-$size.md" >>"$OUT/summary.md"

    echo "== $size: threads" | tee -a "$OUT/summary.md"
    hyperfine -i --runs "$RUNS" --warmup 1 --export-markdown "$OUT/threads-$size.md" \
        -n "parse floor, 1 thread" "RAYON_NUM_THREADS=1 $FLOOR $dir" \
        -n "parse floor, 2 threads" "RAYON_NUM_THREADS=2 $FLOOR $dir" \
        -n "check, no cache, 1 thread" "RAYON_NUM_THREADS=1 $LOCDRIFT check $dir --format json --no-cache" \
        -n "check, no cache, 2 threads" "RAYON_NUM_THREADS=2 $LOCDRIFT check $dir --format json --no-cache"
    cat "$OUT/threads-$size.md" >>"$OUT/summary.md"

    echo "== $size: peak memory (max RSS, KB)" | tee -a "$OUT/summary.md"
    rss() { /usr/bin/time -v "$@" 2>"$OUT/rss.txt" >/dev/null || true; awk -F': ' '/Maximum resident/ {print $2}' "$OUT/rss.txt"; }
    echo "check --no-cache: $(rss "$LOCDRIFT" check "$dir" --format json --no-cache)" | tee -a "$OUT/summary.md"
    rm -rf "$dir/.locdrift-cache"
    echo "check, cold cache: $(rss "$LOCDRIFT" check "$dir" --format json)" | tee -a "$OUT/summary.md"
    echo "check, warm cache: $(rss "$LOCDRIFT" check "$dir" --format json)" | tee -a "$OUT/summary.md"
    echo "parse floor: $(rss "$FLOOR" "$dir")" | tee -a "$OUT/summary.md"
done
echo "results: $OUT/summary.md"
