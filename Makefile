# SPDX-License-Identifier: GPL-2.0
#
# Patch queues: runtime PM .pm_async_work() and genpd tests, one queue per
# base (scripts/bases): mainline (7.2, the canonical form) and its
# backports to 6.12 and 6.1.  BASE=6.12 or BASE=6.1 picks an LTS queue;
# without BASE, make works on mainline, and "make check" on every base.
#
# "make help" lists the targets (the "##" comments below); "make check-list"
# names every run of make check, from scripts/check.sh, the one place that
# has them.
#
# KERNEL_SRC=/path/to/linux applies a queue to your own git tree instead, on
# branch $(BRANCH) in the worktree build/own-linux: the queue of its version
# (make kernelversion: 7.2.y, 6.12.y or 6.1.y), or the one BASE names.

KUNITCONFIG ?= drivers/base/power/.kunitconfig
BRANCH ?= pm-async-work
# ARCH=arm64 builds with Debian's cross compiler and boots QEMU's virt
# machine; the build directories get an -arm64 suffix.
ARCH ?= x86_64
override ARCH := $(if $(filter x86 x86_64,$(ARCH)),x86_64,$(ARCH))
SUFFIX := $(if $(filter x86_64,$(ARCH)),,-$(ARCH))
KUNIT_ARCH := $(ARCH)
# The base: mainline (the first line of scripts/bases) unless BASE is given.
MAINLINE := $(shell awk '!/^\#/ && NF { print $$1; exit }' scripts/bases)
B := $(or $(BASE),$(MAINLINE))
export KUNITCONFIG KUNIT_ARCH BASE

.PHONY: all help check-list deps tree kunit kunit-debug kselftest bench gates check export range-diff bisect mutate clean

all: kunit

help: ## this list
	@awk -F ':.*## ' '/^[a-z-]+:.*## / { printf "make %-12s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

check-list: ## name every run of make check (BASE=... for one base)
	@scripts/check.sh --list

deps: ## install what the scripts need (nothing when all is there)
	@scripts/install-deps.sh

tree: deps ## fetch the base tree and apply the queue (build/BASE/linux)
	@scripts/prepare-tree.sh

O := $(CURDIR)/build/$(B)
ifeq ($(KERNEL_SRC),)
kunit: tree ## apply the queue, build it, run its KUnit suites in QEMU (ARCH=arm64 too)
	@scripts/run-kunit.sh $(O)/linux $(O)/kunit$(SUFFIX) $(KUNITCONFIG) \
		$(O)/kunit$(SUFFIX).json normal
	@scripts/scan-kernel-log.sh $(O)/kunit$(SUFFIX)/test.log
else
kunit: deps
	@scripts/apply-to-own-tree.sh $(KERNEL_SRC) $(CURDIR)/build/own-linux $(BRANCH)
	@scripts/run-kunit.sh build/own-linux $(CURDIR)/build/own-kunit$(SUFFIX) $(KUNITCONFIG) \
		$(CURDIR)/build/own-kunit$(SUFFIX).json normal
	@scripts/scan-kernel-log.sh build/own-kunit$(SUFFIX)/test.log
endif

# The kernel that "make kunit" built, booted again with an initramfs that
# runs the series' kselftest (tools/testing/selftests/pm_async_work).
KSFT_TREE := $(if $(KERNEL_SRC),build/own-linux,$(O)/linux)
KSFT_BUILD := $(if $(KERNEL_SRC),$(CURDIR)/build/own-kunit$(SUFFIX),$(O)/kunit$(SUFFIX))
kselftest: kunit ## the kunit kernel booted with the kselftest and the KUnit modules
	@scripts/run-kselftest.sh $(KSFT_TREE) $(KSFT_BUILD) $(KUNIT_ARCH)
	@if [ -e $(KSFT_BUILD)/kunit-modules.ktap ]; then \
		scripts/kunit-ktap-json.sh $(KSFT_TREE) $(KSFT_BUILD)/kunit-modules.ktap \
			$(KSFT_BUILD)/kunit-modules.json; fi
	@scripts/scan-kernel-log.sh $(KSFT_BUILD)/kselftest.log

bench: kunit ## the series against the unpatched base, ROUNDS=15 pairs of boots (x86_64)
	@if [ -n "$(KERNEL_SRC)" ] || [ "$(ARCH)" != x86_64 ]; then \
		echo "make bench: x86_64 and the queue's own tree only" \
		     "(no ARCH=arm64, no KERNEL_SRC)" >&2; exit 1; fi
	@scripts/run-bench.sh

kunit-debug: tree ## KUnit, the kselftest, then the lockdep boot on a lockdep + KASAN kernel, 4 CPUs
	@scripts/run-kunit.sh $(O)/linux $(O)/kunit-debug$(SUFFIX) $(KUNITCONFIG) \
		$(O)/kunit-debug$(SUFFIX).json debug
	@scripts/scan-kernel-log.sh $(O)/kunit-debug$(SUFFIX)/test.log
	@scripts/run-kselftest.sh $(O)/linux $(O)/kunit-debug$(SUFFIX) $(KUNIT_ARCH)
	@scripts/scan-kernel-log.sh $(O)/kunit-debug$(SUFFIX)/kselftest.log
	@scripts/run-kunit.sh $(O)/linux $(O)/kunit-debug$(SUFFIX) $(KUNITCONFIG) \
		$(O)/kunit-lockdep$(SUFFIX).json lockdep
	@scripts/scan-kernel-log.sh --expect-lockdep $(O)/kunit-debug$(SUFFIX)/lockdep.log

# The gates of make check alone (needs the x86_64 KUnit build, make kunit).
gates: tree ## W=1, sparse, kernel-doc, htmldocs, coccicheck on the touched files
	@for g in w1 sparse kernel-doc htmldocs coccicheck; do \
		scripts/check-gates.sh $$g || exit 1; done

check: deps ## all tests, every base (make check-list names them); results in build/results/
	@scripts/check.sh

export: ## write the commits of build/BASE/linux to patches/queue-BASE
	@scripts/export-patches.sh

range-diff: deps ## git range-diff of BASE's queue against OTHER=6.12's
	@scripts/range-diff.sh $(OTHER)

bisect: tree ## build and test every patch of the queue on its own
	@scripts/check-bisect.sh

# Not part of make check: it rebuilds the kernel once per mutation.
mutate: tree ## break each promise once (mutations/BASE; ONLY="name ..."), count the kills
	@scripts/mutate.py $(CURDIR) $(B) $(ONLY)

clean: ## remove build/ (the kernel trees and all build output)
	rm -rf build
