#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Read make check's JUnit file with junitparser, the JUnit reader that CI
tools such as publish-unit-test-result use (Debian's python3-junitparser),
and check that it holds the results make check counted: PASSED cases that
passed and FAILED that failed, skipped ones aside, each with a name.  Run
by Debian's python3, where the package installs junitparser.
  check-junit.py JUNIT_XML PASSED FAILED
"""
import sys

from junitparser import Failure, Error, JUnitXml, Skipped


def main():
    path, want_passed, want_failed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    passed = failed = skipped = 0
    for suite in JUnitXml.fromfile(path):
        for case in suite:
            if not case.name or not case.classname:
                sys.exit(f"check-junit: a case without a name in {suite.name}")
            kinds = {type(r) for r in case.result}
            if kinds & {Failure, Error}:
                failed += 1
            elif Skipped in kinds:
                skipped += 1
            else:
                passed += 1
    print(f"check-junit: {path}: {passed} passed, {failed} failed, {skipped} skipped")
    if (passed, failed) != (want_passed, want_failed):
        sys.exit(f"check-junit: make check counted {want_passed} passed, {want_failed} failed")


if __name__ == "__main__":
    main()
