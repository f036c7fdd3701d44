#!/bin/bash
# Build the patched tree and run its KUnit suites under QEMU (TCG only, see
# scripts/tcg/) with the tree's own kunit.py, for x86_64 or, with KUNIT_ARCH=arm64, for arm64 (cross
# compiled, QEMU's virt machine, device tree and genpd's OF code on).  Usage:
#   run-kunit.sh TREE BUILD_DIR KUNITCONFIG JSON PROFILE [kunit.py options...]
# Every kernel has scripts/kselftest.config and scripts/kselftest-ARCH.config
# if there is one, so that run-kselftest.sh can boot it (with
# KUNIT_KNOWN_SYMBOLS set, without the symbols the tree does not define).
# PROFILE is "normal" (two CPUs, the stress test's default length),
# "debug" (scripts/debug.config added, four CPUs, a 200,000-operation
# stress run) or "lockdep" (the kernel that "debug" built, booted again to
# run only pm_async_work_lockdep_test.c, which provokes a lockdep report on
# purpose; its console log is kept as lockdep.log).  Prints kunit.py's
# results, writes them as JSON, and fails when a case fails, the kernel
# crashes or the run times out.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

here=$top/scripts
tree=$1 builddir=$2 kunitconfig=$3 json=$4 profile=$5
shift 5

arch=${KUNIT_ARCH:-x86_64}
case $arch in
x86_64)
	cc=gcc
	arch_args=(--kunitconfig="$here/x86_64.config")
	;;
arm64)
	cc=aarch64-linux-gnu-gcc
	arch_args=(--cross_compile=aarch64-linux-gnu- --kunitconfig="$here/arm64.config")
	;;
*)
	echo "run-kunit: unknown architecture $arch (x86_64 or arm64)" >&2
	exit 1
	;;
esac

subcommand=run
build_args=(--jobs="$(nproc)")
# Every kernel boots the kselftest initramfs too (run-kselftest.sh).
fragments=("$here/kselftest.config")
if [ -f "$here/kselftest-$arch.config" ]; then
	fragments+=("$here/kselftest-$arch.config")
fi
# make bisect: a commit before the test module's has no symbol for it.
if [ -n "${KUNIT_KNOWN_SYMBOLS:-}" ]; then
	cat "${fragments[@]}" | pq_known_symbols "$tree" > "$builddir.kselftest.config"
	fragments=("$builddir.kselftest.config")
fi
case $profile in
normal)
	profile_args=(--qemu_args="-smp 2")
	;;
debug)
	profile_args=(--kunitconfig="$here/debug.config"
		      --qemu_args="-smp 4 -m 2048"
		      --kernel_args=pm_async_work_stress_test.ops=200000
		      --kernel_args=pm_async_work_stress_test.seconds=200)
	;;
lockdep)
	subcommand="exec"
	build_args=()
	profile_args=(--kunitconfig="$here/debug.config"
		      --qemu_args="-smp 4 -m 2048"
		      --kernel_args=pm_async_work_lockdep_test.provoke=1
		      pm-async-work-lockdep)
	;;
*)
	echo "run-kunit: unknown profile $profile (normal, debug or lockdep)" >&2
	exit 1
	;;
esac
for f in "${fragments[@]}"; do
	profile_args+=(--kunitconfig="$f")
done

# Bounds: kunit.py's own --timeout covers the QEMU run; the outer one
# covers a build or a QEMU that never returns.
run_timeout=${KUNIT_TIMEOUT:-600}
outer_timeout=$((run_timeout + ${BUILD_TIMEOUT:-2400}))

pq_ccache "$tree/.."
# QEMU with TCG only, whatever accelerators kunit.py asks for.
export PATH="$top/scripts/tcg:$PATH"

rm -f "$json" "$builddir/test.log"
[ "$profile" != lockdep ] || rm -f "$builddir/lockdep.log"
cd "$tree"
status=0
timeout --kill-after=30 "$outer_timeout" \
	python3 tools/testing/kunit/kunit.py "$subcommand" \
	--arch="$arch" "${arch_args[@]}" \
	--build_dir="$builddir" \
	--kunitconfig="$kunitconfig" \
	--make_options=CC="ccache $cc" \
	"${build_args[@]}" \
	--timeout="$run_timeout" \
	--json="$json" \
	"${profile_args[@]}" "$@" || status=$?
if [ "$profile" = lockdep ] && [ -f "$builddir/test.log" ]; then
	mv "$builddir/test.log" "$builddir/lockdep.log"
fi
exit $status
