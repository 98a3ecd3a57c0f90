#!/usr/bin/env bash
# Re-minimises the committed seed corpus of each fuzz target (make fuzz-seeds).
#
#   tests/fuzz/minimise-seeds.sh BIN_DIR TARGET...
#
# For each TARGET, libFuzzer's -merge=1 picks from the committed seeds
# (tests/fuzz/corpus/TARGET) and the corpus grown by `make fuzz`
# (build/fuzz/corpus/TARGET) the smallest inputs that together reach every
# coverage edge (-use_counters=0: hit counts are regained within seconds of
# fuzzing and would triple the set). Hand-written seeds (any name that is not
# a SHA-1) always stay and go first, so only inputs that reach edges beyond
# them are kept. The seed directory is changed in place: seeds not picked are
# deleted, picked inputs that are new are added under their SHA-1 name.
# Review with `git status tests/fuzz/corpus` and commit the result.
set -euo pipefail

bin_dir=$1
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for t in "$@"; do
  seeds=$root/tests/fuzz/corpus/$t
  grown=$root/build/fuzz/corpus/$t
  mkdir -p "$seeds" "$grown" "$work/$t"
  before=$(find "$seeds" -type f | wc -l)
  find "$seeds" -type f -regextype posix-extended ! -regex '.*/[0-9a-f]{40}' \
    -exec cp -t "$work/$t/" {} +
  if ! "$bin_dir/$t" -merge=1 -use_counters=0 -timeout=5 -rss_limit_mb=2048 \
    "$work/$t" "$seeds" "$grown" >"$work/$t.log" 2>&1; then
    tail -20 "$work/$t.log"
    echo "fuzz-seeds: merging $t failed" >&2
    exit 1
  fi
  # Content hashes of the picked inputs (merge names its output by SHA-1).
  declare -A picked=()
  for f in "$work/$t"/*; do
    [ -e "$f" ] && picked[$(basename "$f")]=1
  done
  # A hand-written seed may come back under its SHA-1 name: keep one copy.
  while read -r sum _; do
    unset "picked[$sum]"
  done < <(find "$seeds" -type f -regextype posix-extended \
    ! -regex '.*/[0-9a-f]{40}' -print0 | xargs -0 -r sha1sum)
  while read -r sum f; do
    if [ -n "${picked[$sum]:-}" ]; then
      unset "picked[$sum]"
    else
      rm -f "$f"
    fi
  done < <(find "$seeds" -type f -regextype posix-extended \
    -regex '.*/[0-9a-f]{40}' -print0 | xargs -0 -r sha1sum)
  for sum in "${!picked[@]}"; do
    if [[ $sum =~ ^[0-9a-f]{40}$ ]]; then cp "$work/$t/$sum" "$seeds/$sum"; fi
  done
  unset picked
  echo "fuzz-seeds: $t $before -> $(find "$seeds" -type f | wc -l) seeds"
done
