#!/usr/bin/env bash
# clang-tidy with the checks of .clang-tidy over the C++ files compiled in
# BUILD_DIR (its compile_commands.json), JOBS files at a time. Fails on any
# finding. SCOPE `all` (make tidy) takes every file of the product, its tests
# and benchmarks; `product` (ctest lint.clang_tidy) the product's files only,
# as the tests themselves run under ASan and UBSan on every CI run and
# clang-tidy costs about 8 s of CPU a file (docs/DEVELOPING.md).
#   tests/lint/clang_tidy.sh BUILD_DIR [JOBS] [all|product]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" && pwd)
jobs=${2:-1}
scope=${3:-all}
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
files=$dirs
case $scope in
  all) ;;
  product) files='(actors|agent|cluster|gateways|monitoring|node|schema|storage|tools)' ;;
  *)
    echo "clang-tidy: scope is all or product, not '$scope'"
    exit 2
    ;;
esac
src=$(printf '%s' "$root" | sed 's/[][\.*^$+?(){}|]/\\&/g')
start=$(date +%s)
# run-clang-tidy echoes each command line and always asks for colours; keep
# only what clang-tidy says, in plain text.
set +e
"$run" -clang-tidy-binary "$(command -v "$tidy")" -p "$build" -j "$jobs" \
  -quiet -header-filter="^$src/$dirs/" "^$src/$files/.*\.cpp\$" 2>&1 |
  sed 's/\x1b\[[0-9;]*m//g' |
  grep -v -e '^/[^ ]*/clang-tidy[^ :]* -' \
    -e '^[0-9]* warnings\? \(and [0-9]* errors\? \)\?generated\.$'
status=${PIPESTATUS[0]}
set -e
echo "clang-tidy ($scope): $(($(date +%s) - start)) s, $([ "$status" = 0 ] && echo "no findings" || echo "findings above")"
exit "$status"
