#!/usr/bin/env bash
# Runs the pinned Bicep CLI (BicepCliVersion in Directory.Packages.props), a NuGet PackageDownload of
# tests/Qlip.Infra.Tests, restoring it first if this machine lacks it. Examples:
#   scripts/bicep.sh build infra/bicep/main.bicep --stdout > /dev/null
#   scripts/bicep.sh lint infra/bicep/main.bicep
#   scripts/bicep.sh build-params infra/bicep/params/dev.bicepparam --stdout
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="$(sed -n 's:.*<BicepCliVersion>\(.*\)</BicepCliVersion>.*:\1:p' "$root/Directory.Packages.props")"
[ -n "$version" ] || { echo "[bicep] BicepCliVersion missing in Directory.Packages.props" >&2; exit 1; }
packages="${NUGET_PACKAGES:-$(dotnet nuget locals global-packages --list | sed 's/^global-packages: *//')}"
bicep="${packages%/}/azure.bicep.commandline.linux-x64/$version/tools/bicep"
if [ ! -f "$bicep" ]; then
  echo "[bicep] restoring Azure.Bicep.CommandLine.linux-x64 $version" >&2
  dotnet restore "$root/tests/Qlip.Infra.Tests/Qlip.Infra.Tests.csproj" -v q >/dev/null
fi
[ -x "$bicep" ] || chmod u+x "$bicep"
exec "$bicep" "$@"
