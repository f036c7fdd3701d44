#!/bin/bash
# Run every check of the patch queues and the KUnit suites of the series,
# for every base of scripts/bases or, with BASE set, for that one; the last
# lines are "N passed, N failed" per base and in all, counting KUnit cases
# and checks.  Results for CI systems go to build/results/: kunit.py's JSON
# of each KUnit run (BASE-RUN.json) and junit.xml over every check and
# case (scripts/junit-report.py).  With --list, names the runs instead.
set -uo pipefail
: "${KUNITCONFIG:=drivers/base/power/.kunitconfig}"
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

passed=0
failed=0
failures=()
per_base=()
listing=false
[ "${1:-}" != --list ] || listing=true

# check NAME COMMAND...: run one check, log its output, count it.
check() {
	local name=$1 log
	shift
	if $listing; then
		echo "[$base] $name"
		return 0
	fi
	log=$logs/$(tr -c 'A-Za-z0-9.\n-' _ <<<"$name").log
	if "$@" >"$log" 2>&1; then
		echo "PASS  [$base] $name"
		passed=$((passed + 1))
		record check "$name" pass "$log"
	else
		echo "FAIL  [$base] $name"
		sed 's/^/      /' "$log" | tail -n 40
		failed=$((failed + 1))
		failures+=("[$base] $name")
		record check "$name" fail "$log"
		return 1
	fi
}

# record KIND NAME STATUS|RESULTS LOG: one line of build/results/records
# for scripts/junit-report.py ("check" with pass or fail, or "KUnit" or
# "kselftest" with the file of the run's results).
record() {
	printf '%s\t%s\t%s\t%s\t%s\n' "$base" "$1" "$2" "$3" "$4" >> "$results_dir/records"
}

summary() {
	local f
	for f in "${failures[@]}"; do
		echo "failed: $f"
	done
	for f in "${per_base[@]}"; do
		echo "$f"
	done
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

# counted NAME KIND COUNTER RESULTS COMMAND...: run a test run (its output
# logged), then add the results that COUNTER reads from the file RESULTS
# ("PASSED FAILED") to the totals; a run that fails counts once more.
counted() {
	local name=$1 kind=$2 counter=$3 results=$4 counts p f
	shift 4

	if $listing; then
		echo "[$base] $name: the $kind cases"
		return 0
	fi
	rm -f "$results"
	if ! "$@" 2>&1 | tee "$logs/$name.log"; then
		echo "FAIL  [$base] $name: the $kind run failed (see above)"
		failed=$((failed + 1))
		failures+=("[$base] $name: $kind run")
		record check "$name: the $kind run" fail "$logs/$name.log"
	fi
	if [ -s "$results" ]; then
		record "$kind" "$name" "$results" "$logs/$name.log"
		[ "$kind" != KUnit ] || cp "$results" "$results_dir/$base-$name.json"
	fi
	if [ -s "$results" ] && counts=$("$counter" "$results"); then
		read -r p f <<<"$counts"
		passed=$((passed + p))
		failed=$((failed + f))
		echo "[$base] $name: $p $kind results passed, $f failed"
		[ "$f" -eq 0 ] || failures+=("[$base] $name: $f $kind cases")
	fi
}

# kunit NAME BUILD_DIR PROFILE [ARCH]: build and run the suites
# named by $KUNITCONFIG, count their cases, then check the kernel's log.
# The "lockdep" profile boots the debug kernel again for the one suite that
# provokes a lockdep report on purpose; its log must show that report only.
kunit() {
	local name=$1 builddir=$2 profile=$3 json=$build/$1.json
	local arch=${4:-x86_64}
	local log=$builddir/test.log scan=("$top/scripts/scan-kernel-log.sh")
	local what="no lockdep, KASAN, BUG, WARNING, hung task or stall; the provoked warning"

	if [ "$profile" = lockdep ]; then
		log=$builddir/lockdep.log
		scan+=(--expect-lockdep)
		what="exactly the one lockdep report provoked on purpose"
	else
		scan+=(--expect-warnings)
	fi

	$listing || echo "==> [$base] $name"
	counted "$name" KUnit "$top/scripts/count-kunit.py" "$json" \
		env KUNIT_ARCH="$arch" "$top/scripts/run-kunit.sh" "$tree" \
		"$builddir" "$KUNITCONFIG" "$json" "$profile"
	$listing || grep -ho '# paw_stress.*operations in.*' "$log" 2>/dev/null || true
	check "$name: kernel log has $what" "${scan[@]}" "$log"
}

# kselftest NAME BUILD_DIR ARCH: boot the kernel that "kunit" built in
# BUILD_DIR with the kselftest initramfs, count the cases of the selftest,
# then the KUnit suites that the same boot loaded as modules, then check the
# kernel's log.
kselftest() {
	local name=$1 builddir=$2 arch=$3

	$listing || echo "==> [$base] $name"
	counted "$name" kselftest "$top/scripts/count-ktap.sh" \
		"$builddir/kselftest.ktap" \
		"$top/scripts/run-kselftest.sh" "$tree" "$builddir" "$arch"
	if pq_base_has modules; then
		counted "$name-kunit-modules" KUnit "$top/scripts/count-kunit.py" \
			"$build/$name-kunit-modules.json" \
			"$top/scripts/kunit-ktap-json.sh" "$tree" \
			"$builddir/kunit-modules.ktap" "$build/$name-kunit-modules.json"
		check "$name: kernel log has no lockdep, KASAN, BUG, WARNING, hung task or stall; the provoked warning" \
			"$top/scripts/scan-kernel-log.sh" --expect-warnings "$builddir/kselftest.log"
	else
		check "$name: kernel log has no lockdep, KASAN, BUG, WARNING, hung task or stall" \
			"$top/scripts/scan-kernel-log.sh" "$builddir/kselftest.log"
	fi
}

# check_base NAME: every check of one base's queue.
check_base() {
	local p gate gates mainline passed0=$passed failed0=$failed

	pq_select_base "$1"
	mainline=false
	[ "$base" != "$(pq_bases | head -n 1)" ] || mainline=true
	export BASE=$base
	logs=$build/logs
	$listing || mkdir -p "$logs"
	if check "series applies to the base tree" "$top/scripts/prepare-tree.sh"; then
		check "round trip: git am + format-patch is byte-identical" \
			"$top/scripts/check-roundtrip.sh"
		if $listing; then
			echo "[$base] checkpatch --strict, one check per patch of the queue"
		else
			while read -r p; do
				check "checkpatch --strict $p" "$top/scripts/checkpatch.sh" "$patches/$p"
			done < <(pq_series)
		fi

		if pq_base_has normal; then
			kunit kunit "$build/kunit" normal
			kselftest kselftest "$build/kunit" x86_64
			if $mainline; then
				check "make bench, smoke run (one round, small counts)" \
					"$top/scripts/run-bench.sh" --smoke
			fi
		fi
		if pq_base_has debug; then
			kunit kunit-debug "$build/kunit-debug" debug
			kselftest kselftest-debug "$build/kunit-debug" x86_64
			kunit kunit-lockdep "$build/kunit-debug" lockdep
		fi
		if pq_base_has arm64; then
			kunit kunit-arm64 "$build/kunit-arm64" normal arm64
			kselftest kselftest-arm64 "$build/kunit-arm64" arm64
		fi

		# coccicheck took 15 minutes on 7.2 from a cold cache: mainline
		# only, whose code the backports carry.
		gates=(w1 sparse kernel-doc htmldocs)
		! $mainline || gates+=(coccicheck)
		for gate in "${gates[@]}"; do
			check "gate $gate: no new warnings in the files the series touches" \
				"$top/scripts/check-gates.sh" "$gate"
		done
	fi
	per_base+=("$base ($pkg $(cat "$build/source/version" 2>/dev/null)):" \
		   "$((passed - passed0)) passed, $((failed - failed0)) failed")
}

cd "$top" || exit 1
logs=$build_root/logs
results_dir=$build_root/results
$listing || { mkdir -p "$logs"; rm -rf "$results_dir"; mkdir -p "$results_dir"; }
# Stop at once if a tree has commits that were not exported: make check
# tests the queue, and would not test them (prepare-tree.sh).
if ! $listing; then
	for b in ${BASE:-$(pq_bases)}; do
		BASE=$b "$top/scripts/prepare-tree.sh" --verify || exit 1
	done
fi
base=all
if $listing; then
	echo "[all] shellcheck -x, one check per script"
else
	for s in scripts/*.sh scripts/kselftest-init scripts/tcg/qemu-system-x86_64 .ci/run; do
		check "shellcheck $s" shellcheck -x "$s"
	done
fi
for b in ${BASE:-$(pq_bases)}; do
	check_base "$b"
done
base=all
if $listing; then
	echo "[all] results: a JUnit parser reads junit.xml, with the counts above"
	exit 0
fi
# junit.xml is written and read back against the counts so far, then
# written again with that check in it.
junit() {
	"$top/scripts/junit-report.py" "$results_dir/records" "$results_dir/junit.xml"
}
junit_reads_back() {
	junit && "$top/scripts/check-junit.py" "$results_dir/junit.xml" "$1" "$2"
}
check "results: a JUnit parser reads junit.xml, with the counts above" \
	junit_reads_back "$passed" "$failed"
junit || { echo "FAIL  [all] writing $results_dir/junit.xml"; failed=$((failed + 1)); }
summary
