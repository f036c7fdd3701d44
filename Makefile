# SPDX-License-Identifier: GPL-2.0
#
# Patch queue: runtime PM .pm_async_work() and genpd tests on Linux 6.1.
#
#   make kunit    apply the series, build it, run its KUnit suites in QEMU
#                 (ARCH=arm64: cross-compiled, on QEMU's virt machine)
#   make kunit-debug  the same on a lockdep + KASAN kernel with 4 CPUs and
#                 the long stress run; the kernel log must be clean; then
#                 a second boot that must show the one lockdep report
#                 pm_async_work_lockdep_test.c provokes on purpose
#   make check    everything "make kunit" does, for x86_64 and arm64, the
#                 debug runs, checkpatch, the round trip, shellcheck and the
#                 gates (W=1, sparse, kernel-doc, htmldocs, coccicheck);
#                 ends "N passed, N failed"
#   make gates    only the gates, on the files the series touches
#   make tree     only unpack the base tree and apply the series (build/linux)
#   make export   regenerate patches/ from the commits in build/linux
#   make bisect   build and test every patch of the series on its own
#   make clean    remove build/ (the kernel tree and all build output)
#
# KERNEL_SRC=/path/to/linux applies the series to your own 6.1.y git tree
# instead, on branch $(BRANCH) in the worktree build/own-linux.

KUNITCONFIG ?= drivers/base/power/.kunitconfig
BRANCH ?= pm-async-work
# ARCH=arm64 builds with Debian's cross compiler and boots QEMU's virt
# machine; the build directories get an -arm64 suffix.
ARCH ?= x86_64
override ARCH := $(if $(filter x86 x86_64,$(ARCH)),x86_64,$(ARCH))
SUFFIX := $(if $(filter x86_64,$(ARCH)),,-$(ARCH))
KUNIT_ARCH := $(ARCH)
export KUNITCONFIG KUNIT_ARCH

.PHONY: all deps tree kunit kunit-debug gates check export bisect clean

all: kunit

deps:
	@scripts/install-deps.sh

tree: deps
	@scripts/prepare-tree.sh

ifeq ($(KERNEL_SRC),)
kunit: tree
	@scripts/run-kunit.sh build/linux $(CURDIR)/build/kunit$(SUFFIX) $(KUNITCONFIG) \
		$(CURDIR)/build/kunit$(SUFFIX).json normal
	@scripts/scan-kernel-log.sh build/kunit$(SUFFIX)/test.log
else
kunit: deps
	@scripts/apply-to-own-tree.sh $(KERNEL_SRC) $(CURDIR)/build/own-linux $(BRANCH)
	@scripts/run-kunit.sh build/own-linux $(CURDIR)/build/own-kunit$(SUFFIX) $(KUNITCONFIG) \
		$(CURDIR)/build/own-kunit$(SUFFIX).json normal
	@scripts/scan-kernel-log.sh build/own-kunit$(SUFFIX)/test.log
endif

kunit-debug: tree
	@scripts/run-kunit.sh build/linux $(CURDIR)/build/kunit-debug$(SUFFIX) $(KUNITCONFIG) \
		$(CURDIR)/build/kunit-debug$(SUFFIX).json debug
	@scripts/scan-kernel-log.sh build/kunit-debug$(SUFFIX)/test.log
	@scripts/run-kunit.sh build/linux $(CURDIR)/build/kunit-debug$(SUFFIX) $(KUNITCONFIG) \
		$(CURDIR)/build/kunit-lockdep$(SUFFIX).json lockdep
	@scripts/scan-kernel-log.sh --expect-lockdep build/kunit-debug$(SUFFIX)/lockdep.log

# The gates of make check alone (needs the x86_64 KUnit build, make kunit).
gates: tree
	@for g in w1 sparse kernel-doc htmldocs coccicheck; do \
		scripts/check-gates.sh $$g || exit 1; done

check: deps
	@scripts/check.sh

export:
	@scripts/export-patches.sh

bisect: tree
	@scripts/check-bisect.sh

clean:
	rm -rf build
