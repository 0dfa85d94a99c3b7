#!/usr/bin/env bash
# `locdrift check` in a git repository with a long history: `stale-translation` asks git
# when each file was last committed, which the corpora of run.sh (not repositories)
# never measure. Turns a copy of a generated corpus into a repository of $COMMITS
# commits (each touching 1-5 random files, committer times one hour apart, made with
# `git fast-import` in seconds), then times with hyperfine: a cold run without cache, a
# cold and a warm run with the cache, a warm run after one new commit, and a run on 3
# named files (pre-commit) without and with a warm cache; then, on a copy whose sv-se
# translations carry source stamps, `stale-translation` without and with the cache.
#
#   bench/git-history.sh                          # 10k files, 20,000 commits
#   SIZE=90k COMMITS=100000 bench/git-history.sh  # closer to azure-docs
#   LOCDRIFT=path/to/locdrift bench/git-history.sh  # time another build
#
# Like run.sh: corpora under $BENCH_DIR (default /var/tmp/locdrift-bench), never /tmp;
# results in $OUT (default target/bench).
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH_DIR=${BENCH_DIR:-/var/tmp/locdrift-bench}
OUT=${OUT:-target/bench}
SIZE=${SIZE:-10k}
COMMITS=${COMMITS:-20000}
RUNS=${RUNS:-10}

command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }
mkdir -p "$OUT" "$BENCH_DIR"
if [ -z "${LOCDRIFT:-}" ]; then
    cargo build --release --quiet --bin locdrift --example gen-corpus
    LOCDRIFT=$PWD/target/release/locdrift
fi
GEN=$PWD/target/release/examples/gen-corpus

case $SIZE in
    10k) sources=1111 ;;
    30k) sources=3333 ;;
    90k) sources=10000 ;;
    *) echo "unknown size $SIZE" >&2; exit 2 ;;
esac
corpus=$BENCH_DIR/corpus-$SIZE
[ -f "$corpus/expected.jsonl" ] || { [ -x "$GEN" ] || cargo build --release --quiet --example gen-corpus; "$GEN" "$corpus" --files $sources --locales 8 --seed 1; }

dir=$BENCH_DIR/history-$SIZE-$COMMITS
if [ ! -f "$dir/.git/locdrift-bench-done" ]; then
    rm -rf "$dir"
    mkdir -p "$dir"
    (cd "$corpus" && tar --exclude=.locdrift-cache -cf - .) | (cd "$dir" && tar -xf -)
    git -C "$dir" init -q -b main
    # The stream: a first commit with every file as it is, then $COMMITS commits that
    # each set 1-5 random Markdown files to their text with or without one more
    # trailing newline (two blobs per file, each sent once), so the history is long and
    # the working tree keeps the corpus's texts. Seeded: every run makes the same history.
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
for i, f in enumerate(files):
    data = open(os.path.join(root, f), "rb").read()
    for k, body in enumerate((data, data + b"\n")):
        out.write(b"blob\nmark :%d\ndata %d\n%s\n" % (2 * i + k + 1, len(body), body))
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
            state[i] ^= 1
        out.write(b"M 100644 :%d %s\n" % (2 * i + state[i] + 1, files[i].encode()))
    out.write(b"\n")
out.write(b"done\n")
PY
    # The index as HEAD has it; files whose last commit added a newline show as modified.
    git -C "$dir" reset -q
    touch "$dir/.git/locdrift-bench-done"
fi
echo "== $dir: $(git -C "$dir" rev-list --count HEAD) commits, $(git -C "$dir" ls-files | wc -l) files" | tee "$OUT/git-history-$SIZE.md"

# Three files of a pre-commit run: a translation, another locale's, a source.
mapfile -t named < <(cd "$dir" && { git ls-files sv-se | grep '\.md$' | sed -n 100p;
    git ls-files ja-jp | grep '\.md$' | sed -n 200p; git ls-files en-us | grep '\.md$' | sed -n 300p; })
# One new commit on top, touching one source (its text gains a trailing newline).
new_commit="cd $dir && printf '\n' >> ${named[2]} && git -c user.name=b -c user.email=b@b commit -qm new -- ${named[2]}"
reset_cache="rm -rf $dir/.locdrift-cache"

hyperfine -i --runs "$RUNS" --warmup 1 \
    --export-markdown "$OUT/git-history-$SIZE-time.md" --export-json "$OUT/git-history-$SIZE-time.json" \
    --prepare true -n "git log of the whole history (what a cold run asks)" \
    "git -C $dir log --format=%x00%ct --name-only --no-renames --relative -- . >/dev/null" \
    --prepare true -n "check, no cache" "$LOCDRIFT check $dir --format json --no-cache" \
    --prepare "$reset_cache" -n "check, cold cache" "$LOCDRIFT check $dir --format json" \
    --prepare true -n "check, warm cache" "$LOCDRIFT check $dir --format json" \
    --prepare "$new_commit" -n "check, warm, after 1 new commit" "$LOCDRIFT check $dir --format json" \
    --prepare "$reset_cache" -n "check 3 named files, no cache dir" "cd $dir && $LOCDRIFT check ${named[*]} --format json" \
    --prepare "$reset_cache && $LOCDRIFT check $dir --format json >/dev/null || true" \
    -n "check 3 named files, warm cache" "cd $dir && $LOCDRIFT check ${named[*]} --format json"
cat "$OUT/git-history-$SIZE-time.md" >>"$OUT/git-history-$SIZE.md"

# Source stamps: a copy where every sv-se translation records a source commit drawn
# from the history (`l10n.sourceCommit`, seeded), committed once more. Each stamp is a
# question to git or to the commit graph (see bench/README.md, "Source stamps").
stamped=$dir-stamps
if [ ! -f "$stamped/.git/locdrift-bench-done" ]; then
    rm -rf "$stamped"
    cp -a "$dir" "$stamped"
    rm -rf "$stamped/.locdrift-cache"
    git -C "$stamped" rev-list HEAD | python3 -c '
import os, random, sys
revs = sys.stdin.read().split()
rng = random.Random(1)
root = sys.argv[1]
for d, _, names in sorted(os.walk(os.path.join(root, "sv-se"))):
    for f in sorted(names):
        p = os.path.join(d, f)
        text = open(p, "rb").read()
        if f.endswith(".md") and text.startswith(b"---\n"):
            stamp = b"l10n.sourceCommit: " + rng.choice(revs).encode() + b"\n"
            open(p, "wb").write(b"---\n" + stamp + text[4:])
' "$stamped"
    git -C "$stamped" add -A
    git -C "$stamped" -c user.name=b -c user.email=b@b commit -qm stamps
    touch "$stamped/.git/locdrift-bench-done"
fi
echo "== $stamped: $(grep -rl '^l10n.sourceCommit' "$stamped/sv-se" | wc -l) stamped translations" | tee -a "$OUT/git-history-$SIZE.md"
hyperfine -i --runs "${STAMP_RUNS:-3}" --warmup 1 --export-markdown "$OUT/git-history-$SIZE-stamps.md" \
    --prepare true -n "stale-translation, stamps, no cache" \
    "$LOCDRIFT check $stamped --select stale-translation --format json --no-cache" \
    --prepare true -n "stale-translation, stamps, warm cache" \
    "$LOCDRIFT check $stamped --select stale-translation --format json"
rm -rf "$stamped/.locdrift-cache"
cat "$OUT/git-history-$SIZE-stamps.md" >>"$OUT/git-history-$SIZE.md"
echo "results: $OUT/git-history-$SIZE.md"
