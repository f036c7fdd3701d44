#!/bin/bash
# Count the results in the output of kselftest's runner (run_kselftest.sh):
# prints "PASSED FAILED".  Each test program's own cases (its KTAP, which
# the runner prefixes with "# ") count one each; cases that its plan
# announces but that never reported count as failed; a program that
# reported no case counts as one result, failed unless "ok" without SKIP.
set -euo pipefail

awk '
function close_program() {
	if (!in_program)
		return
	if (plan > results)
		failed += plan - results
	in_program = 0
}
/^# selftests: / { close_program(); in_program = 1; plan = 0; results = 0; next }
in_program && /^# 1\.\.[0-9]+$/ { plan = substr($2, 4) + 0; next }
in_program && /^# ok [0-9]+ / {
	results++
	if ($0 ~ /# SKIP/) failed++; else passed++
	next
}
in_program && /^# not ok [0-9]+ / { results++; failed++; next }
/^(not )?ok [0-9]+ selftests: / {
	if (results == 0) {
		if ($1 == "ok" && $0 !~ /# SKIP/) passed++; else failed++
	}
	close_program()
	next
}
END {
	if (in_program && results == 0)
		failed++
	close_program()
	print passed + 0, failed + 0
}' "$1"
