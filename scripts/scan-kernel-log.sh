#!/bin/bash
# Fail if a kernel console log shows a lockdep or KASAN report, a BUG,
# a WARNING, a hung task, a soft lockup or an RCU stall, and print the
# offending lines.  kunit.py passes such runs as long as the cases do.
#
# A WARNING report ("cut here" ... "end trace") that contains one of the
# messages below is expected by a KUnit case and allowed.  With
# --expect-warnings, for a boot that runs those cases, each of them must
# be there too, in such a report.
#
# With --expect-lockdep, the log must instead hold exactly one report, the
# circular locking dependency that pm_async_work_lockdep_test.c provokes on
# purpose (between its mutex and the driver's ->pm_async_work() map), and
# nothing else; the two names must be in that report (the kernel command
# line names the test too).
#   scan-kernel-log.sh [--expect-lockdep | --expect-warnings] LOG
set -euo pipefail

expect_lockdep=false expect_warnings=false
case ${1:-} in
--expect-lockdep) expect_lockdep=true; shift ;;
--expect-warnings) expect_warnings=true; shift ;;
esac
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
	report=$(awk -v t="$lockdep_report" 'index($0, t) { r = 1 } r { print } r && /stack backtrace:/ { exit }' "$log")
	if [ "$offending" != "$lockdep_report" ] ||
	   ! grep -q 'pm_async_work' <<<"$report" || ! grep -q 'pawl_driver_lock' <<<"$report"; then
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
if $expect_warnings; then
	for w in "${expected[@]}"; do
		if ! awk -v w="$w" '/-+\[ cut here \]-+/ { b = 1 } b && index($0, w) { f = 1 }
				   /---\[ end trace/ { b = 0 } END { exit !f }' "$log"; then
			echo "scan-kernel-log: $log lacks the warning its cases provoke: $w"
			exit 1
		fi
	done
fi
echo "scan-kernel-log: $log is clean"
