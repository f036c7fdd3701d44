#!/bin/bash
# Parse the KTAP that KUnit suites wrote to the kernel log (the KUnit
# modules of the kselftest boot, scripts/run-kselftest.sh) with the tree's
# own kunit.py, print its results and write them as kunit.py's JSON.
# Fails when the log has no KUnit results or a case failed.  (kunit.py
# works in the tree: the paths are made absolute.)
#   kunit-ktap-json.sh TREE KTAP JSON
set -euo pipefail

tree=$1 ktap=$(realpath "$2") json=$(realpath "$3")

rm -f "$json"
suites=$(grep -c '^    # Subtest:' "$ktap" 2>/dev/null) || true
if [ "${suites:-0}" -eq 0 ]; then
	echo "kunit-ktap-json: no KUnit results in $ktap" >&2
	exit 1
fi
# Before 6.6 a module's suites come without the header that the boot's
# own run prints; kunit.py needs it.
if ! grep -q '^K\?TAP version' "$ktap"; then
	whole=${ktap%.ktap}.whole.ktap
	{ printf 'KTAP version 1\n1..%s\n' "$suites"; cat "$ktap"; } > "$whole"
	ktap=$whole
fi
python3 "$tree/tools/testing/kunit/kunit.py" parse --json="$json" "$ktap"
