#!/usr/bin/env bash
# clang-tidy with the checks of .clang-tidy over every C++ file of the product
# and its tests, as compiled in BUILD_DIR (its compile_commands.json), JOBS
# files at a time (make tidy; ctest lint.clang_tidy). Fails on any finding.
#   tests/lint/clang_tidy.sh BUILD_DIR [JOBS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" && pwd)
jobs=${2:-1}
run=${RUN_CLANG_TIDY:-run-clang-tidy-14}
tidy=${CLANG_TIDY:-clang-tidy-14}
for tool in "$run" "$tidy"; do
  if ! command -v "$tool" >/dev/null; then
    echo "clang-tidy: $tool not found (deploy/install-deps.sh installs it)"
    exit 1
  fi
done
# Our sources and headers only: not CAF, Boost or the generated *.capnp.h/c++.
dirs='(actors|agent|bench|cluster|gateways|monitoring|node|schema|storage|tests|tools)'
src=$(printf '%s' "$root" | sed 's/[][\.*^$+?(){}|]/\\&/g')
start=$(date +%s)
# run-clang-tidy echoes each command line and always asks for colours; keep
# only what clang-tidy says, in plain text.
set +e
"$run" -clang-tidy-binary "$(command -v "$tidy")" -p "$build" -j "$jobs" \
  -quiet -header-filter="^$src/$dirs/" "^$src/$dirs/.*\.cpp\$" 2>&1 |
  sed 's/\x1b\[[0-9;]*m//g' |
  grep -v -e '^/[^ ]*/clang-tidy[^ :]* -' \
    -e '^[0-9]* warnings\? \(and [0-9]* errors\? \)\?generated\.$'
status=${PIPESTATUS[0]}
set -e
echo "clang-tidy: $(($(date +%s) - start)) s, $([ "$status" = 0 ] && echo "no findings" || echo "findings above")"
exit "$status"
