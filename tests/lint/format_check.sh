#!/usr/bin/env bash
# Checks that every git-tracked *.cpp and *.hpp is formatted as .clang-format
# says (make format-check; ctest lint.format). `make format` fixes them.
set -uo pipefail
cd "$(dirname "$0")/../.."
clang_format=${CLANG_FORMAT:-clang-format-14}
if ! command -v "$clang_format" >/dev/null; then
  echo "format-check: $clang_format not found (deploy/install-deps.sh installs it)"
  exit 1
fi
mapfile -d '' files < <(git ls-files -z -- '*.cpp' '*.hpp')
if [ ${#files[@]} -eq 0 ]; then
  echo "format-check: no C++ files listed by git (run it in a git checkout)"
  exit 1
fi
bad=()
first=
for f in "${files[@]}"; do
  [ -f "$f" ] || continue # deleted in the work tree, not yet in git
  if ! out=$("$clang_format" --dry-run -Werror "$f" 2>&1); then
    bad+=("$f")
    [ -n "$first" ] || first=$out
  fi
done
if [ ${#bad[@]} -gt 0 ]; then
  echo "$first" | head -20
  echo "format-check: ${#bad[@]} of ${#files[@]} files are not formatted" \
    "(make format fixes them):"
  printf '  %s\n' "${bad[@]}"
  exit 1
fi
echo "format-check: ${#files[@]} files formatted"
