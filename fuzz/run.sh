#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (default 300 s each) from the seed corpus.
# Not part of CI: fuzzing needs libFuzzer's sanitizer flags, which stable Rust accepts
# only with RUSTC_BOOTSTRAP=1, and minutes of CPU. Crashes land in fuzz/artifacts/;
# minimize them (`cargo fuzz tmin`) and commit them under fixtures/fuzz/ as regressions.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
export RUSTC_BOOTSTRAP=1
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
for target in parse pair; do
    mkdir -p "fuzz/corpus/$target"
    cp -n fuzz/seeds/* fixtures/fuzz/* "fuzz/corpus/$target/" 2>/dev/null || true
    echo "== $target for ${seconds}s"
    cargo fuzz run "$target" "fuzz/corpus/$target" -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 2>&1 \
        | tee "fuzz/$target.log" | grep -E "^#[0-9]+ +(DONE|INITED)|ERROR|SUMMARY|panicked" || true
    grep -E "^Done [0-9]+ runs|stat::number_of_executed_units" "fuzz/$target.log" || tail -n 3 "fuzz/$target.log"
done
