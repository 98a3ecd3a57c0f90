#!/usr/bin/env bash
# Installs everything openassist needs to build, run and test on Debian 12 (bookworm).
# Idempotent and quick when all is present: apt runs only for missing packages, npm only
# when web/node_modules is older than web/package-lock.json.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)

apt_packages=(
  build-essential cmake ninja-build ccache pkg-config git
  clang-14 libclang-rt-14-dev clang-format-14 clang-tidy-14
  libcaf-dev libboost-dev libssl-dev nlohmann-json3-dev
  capnproto libcapnp-dev liblmdb-dev lmdb-utils
  prometheus-cpp-dev libspdlog-dev libfmt-dev libsodium-dev libjemalloc-dev
  libhowardhinnant-date-dev libdate-tz3 tzdata libcurl4-openssl-dev
  python3-aiosmtpd chromium curl nodejs npm
  libx11-dev libxext-dev libxtst-dev libjpeg62-turbo-dev libfltk1.3-dev xvfb x11-utils
  libwebp-dev ffmpeg
)

missing=()
for p in "${apt_packages[@]}"; do
  # nodejs/npm may come from outside apt (the image ships node): accept any working binary.
  case "$p" in
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
  esac
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "install-deps: apt packages present"
fi

if [ -f "$root/web/package-lock.json" ]; then
  stamp="$root/web/node_modules/.install-stamp"
  if [ ! -f "$stamp" ] || [ "$root/web/package-lock.json" -nt "$stamp" ]; then
    echo "install-deps: npm ci in web/"
    (cd "$root/web" && npm ci --no-audit --no-fund --loglevel=error)
    touch "$stamp"
  else
    echo "install-deps: web/node_modules up to date"
  fi
fi
