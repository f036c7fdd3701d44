#!/bin/bash
# Boot the KUnit kernel that run-kunit.sh built in BUILD_DIR (it adds
# scripts/kselftest.config to every kernel) with an initramfs of Debian's
# busybox-static, the kernel's modules and the kselftest install tree of
# TARGETS (default pm_async_work), under QEMU (TCG), x86_64 or arm64.
# Usage:
#   run-kselftest.sh TREE BUILD_DIR ARCH
# The initramfs runs the runner (run_kselftest.sh) for every installed test
# that the architecture's QEMU machine can run, or the command line in
# KSELFTEST_RUN instead (run in the install tree, e.g. for a measurement:
# KSELFTEST_RUN="pm_async_work/serial_port_test race 1000").
# Writes the console log to BUILD_DIR/kselftest.log and the kselftest
# runner's output to BUILD_DIR/kselftest.ktap, prints the latter with its
# counts (scripts/count-ktap.sh) and fails unless every case passed.
# On the bases that scripts/bases marks "modules", the same boot then
# loads the series' KUnit suites as a module, built
# against this kernel (see below), and writes their KTAP, read from the
# kernel log, to BUILD_DIR/kunit-modules.ktap, which
# scripts/kunit-ktap-json.sh parses and counts.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

tree=$(cd "$1" && pwd) builddir=$(cd "$2" && pwd) arch=$3
targets=${TARGETS:-pm_async_work}

case $arch in
x86_64)
	cross=
	image=$builddir/arch/x86/boot/bzImage
	qemu=(qemu-system-x86_64 -bios qboot.rom)
	console=ttyS0
	# A PCI serial port (8250_pci; scripts/kselftest-x86_64.config) for
	# the serial core's selftest, which loops it back inside the UART.
	devices=(-chardev "null,id=pciser" -device "pci-serial,chardev=pciser")
	run=./run_kselftest.sh
	;;
arm64)
	cross=aarch64-linux-gnu-
	image=$builddir/arch/arm64/boot/Image.gz
	qemu=(qemu-system-aarch64 -machine virt -cpu cortex-a57)
	console=ttyAMA0
	# No PCI serial port on this machine: the serial core's selftest
	# (pm_async_work:serial_port_test) is left out.
	devices=()
	run="./run_kselftest.sh -t pm_async_work:pm_async_work_test"
	;;
*)
	echo "run-kselftest: unknown architecture $arch (x86_64 or arm64)" >&2
	exit 1
	;;
esac
[ -f "$image" ] || { echo "run-kselftest: no kernel in $builddir; run make kunit first" >&2; exit 1; }
# The debug kernel (run-kunit.sh's "debug" profile) boots as its KUnit run
# does: four CPUs, and the memory KASAN needs.  Its soft lockup threshold
# is raised from 20 s to 120 s: with four CPUs on a two-core host, 6.1's
# KASAN kernel runs init for over 20 s without scheduling while it boots,
# in the ACPI interpreter, in three boots of three (doc/testing.md).
machine=(-m 1024 -smp 2) debug_args=
if grep -q '^CONFIG_KASAN=y' "$builddir/.config"; then
	machine=(-m 2048 -smp 4) debug_args=watchdog_thresh=60
fi

log=$builddir/kselftest.log ktap=$builddir/kselftest.ktap
kktap=$builddir/kunit-modules.ktap
rm -f "$log" "$ktap" "$kktap"

busybox=$("$top/scripts/fetch-busybox.sh" "$arch")
root=$builddir/kselftest-root
pq_initramfs_root "$root" "$busybox"
# The runner enforces each test's timeout only through /usr/bin/timeout,
# called with GNU's --foreground, which busybox's timeout does not know.
mkdir -p "$root/usr/bin"
# shellcheck disable=SC2016 # $1 and $@ are the wrapper's own
printf '%s\n' '#!/bin/sh' '[ "$1" != --foreground ] || shift' \
	'exec /bin/busybox timeout "$@"' > "$root/usr/bin/timeout"
chmod 755 "$root/usr/bin/timeout"
echo "${KSELFTEST_RUN:-$run}" > "$root/kselftest-run"

make -s -C "$tree" O="$builddir" ARCH="$arch" CROSS_COMPILE="$cross" \
	INSTALL_MOD_PATH="$root" INSTALL_MOD_STRIP=1 modules_install
# Static test programs: the initramfs has no C library.
make -s -C "$tree/tools/testing/selftests" O="$builddir" ARCH="$arch" \
	CROSS_COMPILE="$cross" CC="${cross}gcc -static" TARGETS="$targets" \
	KSFT_INSTALL_PATH="$root/kselftest" install >/dev/null

# The series' KUnit suites as a loadable module, as CI systems that run
# KUnit as modules (LAVA, tuxrun, 0-day) load them; modpost fails the build
# if a suite uses a symbol that is not exported.  One module holds every
# suite: this kernel has the same suites built in, under the same names,
# and since Linux 6.6 the boot's KUnit filter applies to modules too, so
# the boot lets only this module's suites run (kunit.filter, by module
# name); before 6.6 the filter applied to built-in suites only.  The
# lockdep suite needs a lockdep kernel (PROVE_LOCKING) and is left out.
# Only on the bases that scripts/bases marks "modules"; a module that does
# not build is reported, and the kselftest boots without it.
kmod=pm_series_kunit
kdir=$builddir/kunit-modules
kfilter=kunit.filter_glob=kselftest-boot-only
build_kunit_module() {
	local s objs=()

	rm -rf "$kdir"
	mkdir -p "$kdir"
	for s in pm_async_work_test pm_genpd_test pm_async_work_stress_test; do
		[ -f "$tree/lib/kunit/$s.c" ] || continue
		cp "$tree/lib/kunit/$s.c" "$kdir/"
		objs+=("$s.o")
	done
	printf 'obj-m := %s.o\n%s-y := %s\n' "$kmod" "$kmod" "${objs[*]}" > "$kdir/Kbuild"
	pq_ccache "$tree/.."
	make -s -C "$tree" O="$builddir" ARCH="$arch" CROSS_COMPILE="$cross" \
		CC="ccache ${cross}gcc" M="$kdir" modules &&
	make -s -C "$tree" O="$builddir" ARCH="$arch" CROSS_COMPILE="$cross" M="$kdir" \
		INSTALL_MOD_PATH="$root" INSTALL_MOD_STRIP=1 modules_install &&
	/sbin/depmod -b "$root" "$(cat "$builddir/include/config/kernel.release")"
}
if pq_base_has modules; then
	if build_kunit_module; then
		echo "$kmod" > "$root/kunit-modules"
		if grep -q kunit_filter_suites "$tree/lib/kunit/test.c"; then
			kfilter=kunit.filter=module=$kmod
		fi
	else
		echo "run-kselftest: the KUnit module $kmod did not build; booting without it" >&2
	fi
fi
pq_initramfs_pack "$root" "$builddir/kselftest.cpio"

# The kernel's built-in KUnit suites are filtered out ($kfilter above):
# this boot is user space's, and the module's.
status=0
timeout --kill-after=10 "${KSELFTEST_TIMEOUT:-600}" \
	"${qemu[@]}" -accel tcg -nodefaults -nographic -no-reboot "${machine[@]}" \
	-serial stdio "${devices[@]}" -kernel "$image" -initrd "$builddir/kselftest.cpio" \
	-append "console=$console rdinit=/init panic=-1 loglevel=5 $kfilter $debug_args" \
	< /dev/null > "$log" 2>&1 || status=$?
tr -d '\r' < "$log" |
	sed -n '/^pm-async-work-kselftest: begin$/,/^pm-async-work-kselftest: end/p' |
	sed -e '1d' -e '$d' -e '/^\[ *[0-9]*\.[0-9]*\] /d' > "$ktap"
if [ -s "$root/kunit-modules" ]; then
	tr -d '\r' < "$log" |
		sed -n '/^pm-async-work-kunit-modules: begin$/,/^pm-async-work-kunit-modules: end/p' |
		sed -e '1d' -e '$d' -e 's/^\[ *[0-9]*\.[0-9]*\] //' > "$kktap"
fi
cat "$ktap"
if [ "$status" -ne 0 ]; then
	echo "run-kselftest: QEMU failed or timed out (status $status); see $log" >&2
	exit 1
fi
# grep -q would stop reading early: tr's SIGPIPE would fail the pipeline.
if ! tr -d '\r' < "$log" | grep '^pm-async-work-kselftest: end' >/dev/null; then
	echo "run-kselftest: the kselftest run did not finish; see $log" >&2
	exit 1
fi
read -r passed failed < <("$top/scripts/count-ktap.sh" "$ktap")
echo "run-kselftest: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
