#!/usr/bin/env bash
# The test command from the README: installs what it needs (idempotently), builds, runs every test project and
# prints one closing line "N passed, N failed, N skipped".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/setup.sh
dotnet build Qlip.sln -c Release -v q -nologo -clp:NoSummary
results="$root/.qlip/test-results"
rm -rf "$results"; mkdir -p "$results"
status=0
# One test assembly at a time: several use real leases and timeouts, and 2 cores are shared with Azurite.
# A test that hangs is killed (and fails) after 10 minutes instead of running into the CI time limit.
dotnet test Qlip.sln -c Release --no-build -nologo -m:1 --blame-hang-timeout 10m --logger "trx" --results-directory "$results" "$@" || status=$?
# The closing line counts what the TRX files say ran; a test assembly without results (its test host crashed or
# was killed) is a failure, so a dead host can never turn into a green run.
python3 - "$results" "$([ $# -eq 0 ] && echo tests)" <<'PY' || status=1
import sys, glob, os, xml.etree.ElementTree as ET
p = f = s = 0
ran = set()
for path in glob.glob(sys.argv[1] + "/*.trx"):
    root = ET.parse(path).getroot()
    c = root.find(".//{*}Counters")
    if c is None: continue
    p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
    s += int(c.get("notExecuted", 0))
    ran.update(os.path.basename(t.get("storage", "")).lower() for t in root.findall(".//{*}UnitTest"))
# Every test project must report, unless the caller narrowed the run (a filter, one project).
expected = {os.path.basename(d).lower() + ".dll" for d in glob.glob(sys.argv[2] + "/*.Tests")} if sys.argv[2] else set()
missing = sorted(expected - ran)
print(f"{p} passed, {f} failed, {s} skipped")
if missing:
    print("no results from: " + ", ".join(missing) + " (test host crashed or was killed)")
    sys.exit(1)
PY
exit $status
