#!/bin/bash
# Fail if a kernel console log shows a lockdep or KASAN report, a BUG,
# a WARNING, a hung task, a soft lockup or an RCU stall, and print the
# offending lines.  kunit.py passes such runs as long as the cases do.
#
# A WARNING report ("cut here" ... "end trace") that contains one of the
# messages below is expected by a KUnit case and allowed.
#   scan-kernel-log.sh LOG
set -euo pipefail

log=$1
expected=(
	# pm_async_work_test.c, C9: barrier or disable from the callback
	"runtime PM barrier, disable or unbind from the device's own ->pm_async_work()"
)
bad='BUG:|WARNING:|INFO: task .* blocked for more than|soft lockup|rcu: INFO: .*stall|detected stalls? on|KASAN|UBSAN|ODEBUG:|DEBUG_LOCKS_WARN_ON|possible (circular|recursive) locking|inconsistent lock state|sleeping function called from invalid context|scheduling while atomic|general protection fault|Kernel panic|Oops'

if [ ! -s "$log" ]; then
	echo "scan-kernel-log: $log is missing or empty" >&2
	exit 1
fi

# Drop the allowed reports, then look for anything bad in what is left.
offending=$(printf '%s\n' "${expected[@]}" | awk -v bad="$bad" '
	FNR == NR { allowed[n++] = $0; next }
	/-+\[ cut here \]-+/ { inblock = 1; block = ""; ok = 0 }
	inblock {
		block = block $0 "\n"
		for (i = 0; i < n; i++)
			if (index($0, allowed[i]))
				ok = 1
		if ($0 ~ /---\[ end trace/) {
			inblock = 0
			if (!ok)
				printf "%s", block
		}
		next
	}
	$0 ~ bad { print }
	END { if (inblock && !ok) printf "%s", block }
' - "$log")

if [ -n "$offending" ]; then
	echo "scan-kernel-log: $log shows kernel reports:"
	echo "$offending" | head -n 40
	exit 1
fi
echo "scan-kernel-log: $log is clean"
