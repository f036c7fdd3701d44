#!/bin/bash
# Fail if a kernel console log shows a lockdep or KASAN report, a BUG,
# a WARNING, a hung task, a soft lockup or an RCU stall, and print the
# offending lines.  kunit.py passes such runs as long as the cases do.
#
# A WARNING report ("cut here" ... "end trace") that contains one of the
# messages below is expected by a KUnit case and allowed.
#
# With --expect-lockdep, the log must instead hold exactly one report, the
# circular locking dependency that pm_async_work_lockdep_test.c provokes on
# purpose (between its mutex and the driver's ->pm_async_work() map), and
# nothing else.
#   scan-kernel-log.sh [--expect-lockdep] LOG
set -euo pipefail

expect_lockdep=false
if [ "${1:-}" = --expect-lockdep ]; then
	expect_lockdep=true
	shift
fi
log=$1
lockdep_report='WARNING: possible circular locking dependency detected'
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

if $expect_lockdep; then
	# A lockdep report has one line that matches $bad: its title.
	if [ "$offending" != "$lockdep_report" ] ||
	   ! grep -q 'pm_async_work' "$log" || ! grep -q 'pawl_driver_lock' "$log"; then
		echo "scan-kernel-log: $log should show exactly one lockdep report," \
			"between pawl_driver_lock and pm_async_work; it shows:"
		echo "${offending:-nothing}" | head -n 40
		exit 1
	fi
	echo "scan-kernel-log: $log shows the expected lockdep report and nothing else"
	exit 0
fi
if [ -n "$offending" ]; then
	echo "scan-kernel-log: $log shows kernel reports:"
	echo "$offending" | head -n 40
	exit 1
fi
echo "scan-kernel-log: $log is clean"
