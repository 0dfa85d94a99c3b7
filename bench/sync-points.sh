#!/usr/bin/env bash
# Sync points on a long history: `stale-translation` infers, for each translation whose
# signature differs from its source's, the source version it was made from, reading the
# source's versions from git. Makes a repository of $COMMITS commits over a generated
# corpus of $SOURCES sources in 8 locales (5,000 pairs by default) where each commit sets
# 1-5 random files: a source to one of four versions of its text (the original, or with
# one, two or three list items more: meaningful changes), a translation to its text with
# or without one more trailing newline (a bulk commit that says nothing new). Then times
# with hyperfine: the `git log` of the whole history that `stale-translation` read before
# sync points (the yardstick: the issue asks for under twice it), `check --select
# stale-translation` cold without a cache, cold with it, and warm at the same HEAD.
#
#   bench/sync-points.sh                 # 625 sources x 8 locales, 20,000 commits
#   LOCDRIFT=path/to/locdrift bench/sync-points.sh
#
# Corpora under $BENCH_DIR (default /var/tmp/locdrift-bench), results in $OUT.
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH_DIR=${BENCH_DIR:-/var/tmp/locdrift-bench}
OUT=${OUT:-target/bench}
SOURCES=${SOURCES:-625}
COMMITS=${COMMITS:-20000}
RUNS=${RUNS:-5}

command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }
mkdir -p "$OUT" "$BENCH_DIR"
if [ -z "${LOCDRIFT:-}" ]; then
    cargo build --release --quiet --bin locdrift --example gen-corpus
    LOCDRIFT=$PWD/target/release/locdrift
fi
GEN=$PWD/target/release/examples/gen-corpus

corpus=$BENCH_DIR/corpus-sync-$SOURCES
[ -f "$corpus/expected.jsonl" ] || "$GEN" "$corpus" --files "$SOURCES" --locales 8 --seed 1

dir=$BENCH_DIR/sync2-$SOURCES-$COMMITS
if [ ! -f "$dir/.git/locdrift-bench-done" ]; then
    rm -rf "$dir"
    mkdir -p "$dir"
    (cd "$corpus" && tar --exclude=.locdrift-cache --exclude=expected.jsonl -cf - .) | (cd "$dir" && tar -xf -)
    git -C "$dir" init -q -b main
    python3 - "$dir" "$COMMITS" <<'PY' | git -C "$dir" fast-import --quiet --done
import os, random, sys
root, commits = sys.argv[1], int(sys.argv[2])
out = sys.stdout.buffer
files = sorted(
    os.path.relpath(os.path.join(d, f), root)
    for d, _, names in os.walk(root) if "/.git" not in d + "/"
    for f in names
)
md = [i for i, f in enumerate(files) if f.endswith(".md")]
source = [f.startswith("en-us/") for f in files]
mark = 0
marks = {}
for i, f in enumerate(files):
    # The generated pages carry Learn's `ms.sourcegitcommit`, a commit of another
    # repository; without it the sync points are inferred, which is what is measured.
    data = b"".join(l for l in open(os.path.join(root, f), "rb").read().splitlines(True) if not l.startswith(b"ms.sourcegitcommit:"))
    if source[i]:
        bodies = [data + b"".join(b"\n- Added step %d of %d.\n" % (k + 1, n) for k in range(n)) for n in range(4)]
    else:
        bodies = [data, data + b"\n"]
    for k, body in enumerate(bodies):
        mark += 1
        marks[(i, k)] = mark
        out.write(b"blob\nmark :%d\ndata %d\n%s\n" % (mark, len(body), body))
rng = random.Random(1)
state = [0] * len(files)
time = 1_600_000_000
for n in range(commits + 1):
    time += 3600
    out.write(b"commit refs/heads/main\nmark :%d\n" % (10_000_000 + n))
    out.write(b"committer Bench <bench@example.com> %d +0000\n" % time)
    msg = b"commit %d\n" % n
    out.write(b"data %d\n%s" % (len(msg), msg))
    if n:
        out.write(b"from :%d\n" % (10_000_000 + n - 1))
        touched = rng.sample(md, rng.randint(1, 5))
    else:
        touched = range(len(files))
    for i in touched:
        if n:
            state[i] = rng.randrange(4) if source[i] else state[i] ^ 1
        out.write(b"M 100644 :%d %s\n" % (marks[(i, state[i])], files[i].encode()))
    out.write(b"\n")
out.write(b"done\n")
PY
    git -C "$dir" checkout -q -f main
    touch "$dir/.git/locdrift-bench-done"
fi
stale=$("$LOCDRIFT" check "$dir" --select stale-translation --format json --no-cache | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["by_rule"].get("stale-translation", 0))' || true)
echo "== $dir: $(git -C "$dir" rev-list --count HEAD) commits, $(git -C "$dir" ls-files | wc -l) files, $stale stale translations" | tee "$OUT/sync-points.md"
reset_cache="rm -rf $dir/.locdrift-cache"
hyperfine -i --runs "$RUNS" --warmup 1 --export-markdown "$OUT/sync-points-time.md" \
    --prepare true -n "git log of the whole history (what stale-translation read before)" \
    "git -C $dir log --format=%x00%ct --name-only --no-renames --relative -- . >/dev/null" \
    --prepare true -n "git log --raw -M of the whole history (what sync points read)" \
    "git -C $dir log -z --raw --no-abbrev -M --full-history --format=%x01%x02%H%x20%ct%n%B --relative HEAD -- . >/dev/null" \
    --prepare true -n "stale-translation, no cache" "$LOCDRIFT check $dir --select stale-translation --format json --no-cache" \
    --prepare "$reset_cache" -n "stale-translation, cold cache" "$LOCDRIFT check $dir --select stale-translation --format json" \
    --prepare true -n "stale-translation, warm cache, same HEAD" "$LOCDRIFT check $dir --select stale-translation --format json" \
    --prepare true -n "check (all rules), no cache" "$LOCDRIFT check $dir --format json --no-cache"
cat "$OUT/sync-points-time.md" >>"$OUT/sync-points.md"
echo "results: $OUT/sync-points.md"
