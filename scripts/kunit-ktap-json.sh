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
if ! grep -q '^KTAP version\|^TAP version' "$ktap" 2>/dev/null; then
	echo "kunit-ktap-json: no KUnit results in $ktap" >&2
	exit 1
fi
python3 "$tree/tools/testing/kunit/kunit.py" parse --json="$json" "$ktap"
