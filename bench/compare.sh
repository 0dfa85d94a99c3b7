#!/usr/bin/env bash
# Compares this checkout's `locdrift check` with another build on a generated corpus, in
# interleaved rounds: every command once per round, the median of each. Answers "is it
# within N% of before?" on a machine whose speed drifts within a minute (bench/README.md),
# where hyperfine's runs of one command after another would compare two moments.
#
#   bench/compare.sh OLD_LOCDRIFT               # 90k, 9 rounds
#   SIZE=10k ROUNDS=5 bench/compare.sh OLD_LOCDRIFT
#   APART=LD109,LD203 bench/compare.sh OLD_LOCDRIFT
#
# Besides the floor and both full checks it times both builds on the same work: the rules
# both have, less `APART` (rules one build runs on another model, whose cost is then the
# difference between the rows). Needs the corpus bench/run.sh writes, GNU time and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
OLD=${1:?usage: bench/compare.sh OLD_LOCDRIFT}
SIZE=${SIZE:-90k}
ROUNDS=${ROUNDS:-9}
APART=${APART:-}
dir=${BENCH_DIR:-/var/tmp/locdrift-bench}/corpus-$SIZE
[ -f "$dir/expected.jsonl" ] || { echo "no corpus at $dir: run SIZES=$SIZE bench/run.sh first" >&2; exit 2; }
cargo build --release --quiet --bin locdrift --example parse-floor
NEW=$PWD/target/release/locdrift
FLOOR=$PWD/target/release/examples/parse-floor
codes() { "$1" rules | awk '{print $1}' | sort; }
# Rules only the new build has, and those measured apart, are left out of "same rules".
only_new=$(comm -13 <(codes "$OLD") <(codes "$NEW") | paste -sd, -)
ignore_new=$(echo "$only_new,$APART" | tr ',' '\n' | grep . | sort -u | paste -sd, -)
ignore_old=$(echo "$APART" | tr ',' '\n' | grep . | sort -u | paste -sd, -)
check="check $dir --no-cache --format json"
commands=(
    "parse floor|$FLOOR $dir"
    "before: check|$OLD $check"
    "after: check|$NEW $check"
    "before: same rules|$OLD $check${ignore_old:+ --ignore $ignore_old}"
    "after: same rules|$NEW $check${ignore_new:+ --ignore $ignore_new}"
)
echo "before: $OLD; after: $(git rev-parse --short HEAD); corpus $dir; $ROUNDS rounds"
echo "same rules leave out: after ${ignore_new:-nothing}; before ${ignore_old:-nothing}"
times=$(mktemp)
trap 'rm -f "$times"' EXIT
for _ in $(seq "$ROUNDS"); do
    for spec in "${commands[@]}"; do
        # A finding exits 1; only the time matters here.
        /usr/bin/time -f "${spec%%|*}|%e|%U|%S|%M" -o "$times.one" bash -c "${spec#*|} >/dev/null 2>&1" || true
        cat "$times.one" >>"$times"
    done
done
rm -f "$times.one"
python3 - "$times" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    parts = line.rstrip("\n").split("|")
    if len(parts) == 5:
        rows.setdefault(parts[0], []).append([float(x) for x in parts[1:]])
floor = statistics.median(r[0] for r in rows["parse floor"])
print(f"| run | wall (median) | vs floor | user | sys | peak RSS |")
print(f"|---|---:|---:|---:|---:|---:|")
for name, runs in rows.items():
    wall = statistics.median(r[0] for r in runs)
    user = statistics.median(r[1] for r in runs)
    sys_ = statistics.median(r[2] for r in runs)
    rss = max(r[3] for r in runs) / 1000
    print(f"| {name} | {wall:.3f} s | {wall / floor:.2f}x | {user:.2f} s | {sys_:.2f} s | {rss:.1f} MB |")
for what in ("check", "same rules"):
    before = statistics.median(r[0] for r in rows[f"before: {what}"])
    after = statistics.median(r[0] for r in rows[f"after: {what}"])
    print(f"{what}: after / before = {after / before:.3f}")
PY
