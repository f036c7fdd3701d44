#!/bin/bash
# Measure the series against the unpatched kernel (make bench).  Usage:
#   run-bench.sh [--smoke]
# The patched kernel (B) is the x86_64 kernel that "make kunit" built in
# build/BASE/kunit.  The unpatched one (A) is the base tree, checked out in
# build/BASE/bench/linux, built in build/BASE/bench/kunit with the same
# config fragments (those its Kconfig knows) and genpd, which B's genpd
# KUnit suite selects.  bench/pm_bench.c is built as a module against each
# and loaded from an initramfs; the two kernels boot alternately under the
# same QEMU (TCG), A B A B ... A, ROUNDS (default 15) pairs, then once each
# with -icount shift=0, where a nanosecond of guest time is one instruction.
# scripts/bench-report.py prints the table and writes build/BASE/bench/
# bench.json, bench.md and bench.png.  --smoke: one round with small counts,
# for make check, so that the benchmark cannot rot; its logs and report go
# to build/BASE/bench/smoke, leaving those of make bench alone.  The smoke
# run builds no unpatched kernel (a cold build make check cannot afford):
# B's kernel plays A too, with the module built as for the unpatched base
# (PB_AS_BASE), so every case and the report run; its fast path is held
# to the counts of bench/reference-instructions instead of A's.
set -euo pipefail
: "${KUNITCONFIG:=drivers/base/power/.kunitconfig}"
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

rounds=${ROUNDS:-15}
smoke=false
params="samples=11 ops=100000 trials=1000 coalesce_rounds=10 genpd_trials=15"
icount_params="samples=3 ops=2000 trials=201 icount=1"
if [ "${1:-}" = --smoke ]; then
	smoke=true
	rounds=1
	params="samples=3 ops=1000 trials=50 coalesce_rounds=2 genpd_trials=3"
	icount_params="samples=1 ops=200 trials=11 icount=1"
fi

bench=$build/bench
out=$bench
b_build=$build/kunit
a_tree=$bench/linux a_build=$bench/kunit
! $smoke || out=$bench/smoke a_tree=$tree a_build=$b_build
[ -f "$b_build/arch/x86/boot/bzImage" ] ||
	{ echo "run-bench: no kernel in $b_build; run make kunit first" >&2; exit 1; }
mkdir -p "$out"
pq_ccache "$build"

if ! $smoke; then
	# A: the base tree, with one Kconfig option that selects genpd (nothing
	# else does on x86_64, short of COMPILE_TEST and a SoC driver).
	# Left alone when already so, to keep the build incremental; made again
	# when prepare-tree.sh has made the tree it belongs to again.
	if ! git -C "$a_tree" rev-parse --git-dir >/dev/null 2>&1; then
		rm -rf "$a_tree"
		git -C "$tree" worktree prune
		git -C "$tree" worktree add -q --detach "$a_tree" base
	fi
	if [ "$(git -C "$a_tree" rev-parse HEAD)" != "$(git -C "$tree" rev-parse base)" ]; then
		git -C "$a_tree" checkout -q -f --detach base
	fi
	grep -q PM_BENCH_GENERIC_DOMAINS "$a_tree/kernel/power/Kconfig" ||
		cat >> "$a_tree/kernel/power/Kconfig" <<'EOF'

config PM_BENCH_GENERIC_DOMAINS
	bool "Generic PM domains for make bench"
	depends on PM
	select PM_GENERIC_DOMAINS
EOF

	# A's config: B's fragments (as run-kunit.sh's "normal" profile gives
	# them) without the options the base does not have.
	known=$bench/known-options
	grep -rhoE --include='Kconfig*' '^[[:space:]]*(menu)?config [A-Z0-9_]+' "$a_tree" |
		awk '{ print "CONFIG_" $2 }' | sort -u > "$known"
	cat "$tree/$KUNITCONFIG" "$top/scripts/x86_64.config" \
		"$top/scripts/kselftest.config" "$top/scripts/kselftest-x86_64.config" |
		awk -F= 'NR == FNR { k[$1] = 1; next } /^CONFIG_/ && k[$1]' "$known" - \
		> "$bench/a.kunitconfig"
	echo CONFIG_PM_BENCH_GENERIC_DOMAINS=y >> "$bench/a.kunitconfig"

	echo "run-bench: building the unpatched kernel (A) in $a_build"
	(cd "$a_tree" && PATH="$top/scripts/tcg:$PATH" timeout 3600 \
		python3 tools/testing/kunit/kunit.py build --arch=x86_64 \
		--build_dir="$a_build" --kunitconfig="$bench/a.kunitconfig" \
		--make_options=CC="ccache gcc" --jobs="$(nproc)") > "$bench/build-a.log" 2>&1 ||
		{ tail -n 30 "$bench/build-a.log"; exit 1; }
	diff <(grep '^CONFIG_' "$a_build/.config") <(grep '^CONFIG_' "$b_build/.config") |
		grep '^[<>]' > "$out/config.diff" || true
else
	: > "$out/config.diff"
fi

# The benchmark module, against each kernel, with DWARF for pahole.
busybox=$("$top/scripts/fetch-busybox.sh" x86_64)
pahole=$("$top/scripts/fetch-pahole.sh")
for k in A B; do
	if [ $k = A ]; then t=$a_tree o=$a_build; else t=$tree o=$b_build; fi
	m=$out/mod-$k root=$out/root-$k
	mkdir -p "$m"
	cmp -s "$top/bench/pm_bench.c" "$m/pm_bench.c" || cp "$top/bench/pm_bench.c" "$m/"
	printf '%s\n' 'obj-m := pm_bench.o' 'CFLAGS_pm_bench.o := -gdwarf-4' > "$m/Kbuild"
	! $smoke || [ $k = B ] || echo 'CFLAGS_pm_bench.o += -DPB_AS_BASE' >> "$m/Kbuild"
	make -s -C "$t" O="$o" M="$m" CC="ccache gcc" modules
	"$pahole" -s "$m/pm_bench.o" |
		awk '$1 == "device" || $1 == "dev_pm_info" || $1 == "device_driver" { print $1, $2 }' \
		> "$out/pahole-$k.txt"

	pq_initramfs_root "$root" "$busybox"
	cp "$m/pm_bench.ko" "$root/kselftest/"
	# shellcheck disable=SC2016 # run by the guest's shell
	printf '%s\n' 'insmod ./pm_bench.ko $(cat /proc/cmdline | tr " " "\n" | sed -n "s/^bench\.//p")' \
		"dmesg | sed -n 's/.*\\(pm_bench: [a-z0-9_]*=.*\\)/\\1/p'" > "$root/kselftest-run"
	pq_initramfs_pack "$root" "$out/$k.cpio"
done

# boot KERNEL LOG QEMU_OPTIONS PARAMS: boot A or B once, the module's
# parameters given as bench.NAME=VALUE on the kernel's command line.
boot() {
	local k=$1 log=$2 opts=$3 p image
	# nokaslr: the same addresses in every boot, which steadies TCG's
	# translation and TLB behaviour from one boot to the next.
	local args=(console=ttyS0 rdinit=/init panic=-1 loglevel=5 nokaslr
		    kunit.filter_glob=pm-bench-boot-only)

	if [ "$k" = A ]; then image=$a_build; else image=$b_build; fi
	image=$image/arch/x86/boot/bzImage
	for p in $4; do
		args+=("bench.$p")
	done
	# shellcheck disable=SC2086 # $opts is a list of QEMU options
	timeout --kill-after=10 "${BENCH_BOOT_TIMEOUT:-900}" \
		qemu-system-x86_64 -bios qboot.rom -accel tcg $opts -nodefaults \
		-nographic -no-reboot -m 1024 -smp 2 -serial stdio \
		-kernel "$image" -initrd "$out/$k.cpio" -append "${args[*]}" \
		< /dev/null > "$log" 2>&1 || { echo "run-bench: boot of $k failed; see $log" >&2; return 1; }
	# Not grep -q: tr's SIGPIPE would fail the pipeline (pipefail).
	if ! tr -d '\r' < "$log" | grep '^pm_bench: done=0$' >/dev/null; then
		echo "run-bench: the benchmark did not finish cleanly on $k; see $log" >&2
		tr -d '\r' < "$log" | grep 'pm_bench: error=' >&2 || true
		return 1
	fi
}

rm -rf "$out/logs"
mkdir -p "$out/logs"
start=$SECONDS
for ((i = 1; i <= rounds; i++)); do
	for k in A B; do
		echo "run-bench: round $i/$rounds: $k"
		boot $k "$out/logs/$i-$k.log" "" "$params"
	done
done
# A once more, so that every round has an A/A pair (A of round i+1).
echo "run-bench: round $((rounds + 1)): A (the A/A pairs)"
boot A "$out/logs/$((rounds + 1))-A.log" "" "$params"
for k in A B; do
	echo "run-bench: instruction counts: $k (-icount shift=0)"
	boot $k "$out/logs/icount-$k.log" "-icount shift=0,sleep=off" "$icount_params"
done
echo "run-bench: $((2 * rounds + 3)) boots in $((SECONDS - start)) s"

# The smoke run's A is patched too: B is held to the unpatched counts
# that make bench measured on this version of the base.
reference=()
! $smoke || reference=(--reference-instructions "$top/bench/reference-instructions")
python3 "$top/scripts/bench-report.py" --base "$base" \
	--version "$(cat "$build/source/version")" --rounds "$rounds" \
	--params "$params" --dir "$out" --max-extra-instructions 1.5 "${reference[@]}"
if $smoke; then
	printf '\n%s\n' "Smoke run: A is the patched kernel with the module built as for the base (PB_AS_BASE): its times compare nothing; the fast path was held to bench/reference-instructions." >> "$out/bench.md"
fi
