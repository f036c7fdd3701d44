# SPDX-License-Identifier: GPL-2.0
#
# Patch queue: runtime PM .pm_async_work() and genpd tests on Linux 6.1.
#
#   make kunit    apply the series, build it, run its KUnit suites in QEMU
#   make kunit-debug  the same on a lockdep + KASAN kernel with 4 CPUs and
#                 the long stress run; the kernel log must be clean; then
#                 a second boot that must show the one lockdep report
#                 pm_async_work_lockdep_test.c provokes on purpose
#   make check    everything "make kunit" does, plus checkpatch, the
#                 patch round trip and shellcheck; ends "N passed, N failed"
#   make tree     only unpack the base tree and apply the series (build/linux)
#   make export   regenerate patches/ from the commits in build/linux
#   make bisect   build and test every patch of the series on its own
#   make clean    remove build/ (the kernel tree and all build output)
#
# KERNEL_SRC=/path/to/linux applies the series to your own 6.1.y git tree
# instead, on branch $(BRANCH) in the worktree build/own-linux.

KUNITCONFIG ?= drivers/base/power/.kunitconfig
BRANCH ?= pm-async-work
export KUNITCONFIG

.PHONY: all deps tree kunit kunit-debug check export bisect clean

all: kunit

deps:
	@scripts/install-deps.sh

tree: deps
	@scripts/prepare-tree.sh

ifeq ($(KERNEL_SRC),)
kunit: tree
	@scripts/run-kunit.sh build/linux $(CURDIR)/build/kunit $(KUNITCONFIG) \
		$(CURDIR)/build/kunit.json normal
	@scripts/scan-kernel-log.sh build/kunit/test.log
else
kunit: deps
	@scripts/apply-to-own-tree.sh $(KERNEL_SRC) $(CURDIR)/build/own-linux $(BRANCH)
	@scripts/run-kunit.sh build/own-linux $(CURDIR)/build/own-kunit $(KUNITCONFIG) \
		$(CURDIR)/build/own-kunit.json normal
	@scripts/scan-kernel-log.sh build/own-kunit/test.log
endif

kunit-debug: tree
	@scripts/run-kunit.sh build/linux $(CURDIR)/build/kunit-debug $(KUNITCONFIG) \
		$(CURDIR)/build/kunit-debug.json debug
	@scripts/scan-kernel-log.sh build/kunit-debug/test.log
	@scripts/run-kunit.sh build/linux $(CURDIR)/build/kunit-debug $(KUNITCONFIG) \
		$(CURDIR)/build/kunit-lockdep.json lockdep
	@scripts/scan-kernel-log.sh --expect-lockdep build/kunit-debug/lockdep.log

check: deps
	@scripts/check.sh

export:
	@scripts/export-patches.sh

bisect: tree
	@scripts/check-bisect.sh

clean:
	rm -rf build
