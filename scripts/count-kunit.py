#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Count the KUnit cases in a kunit.py --json file: print "PASSED FAILED".

Skipped cases count as neither.  kunit.py reports a suite that crashed
before reporting its cases as a single case with status ERROR, which
counts as a failure.
"""
import json
import sys


def count(group):
    passed = failed = 0
    for case in group.get("test_cases", []):
        if case.get("status") == "PASS":
            passed += 1
        elif case.get("status") != "SKIP":
            failed += 1
    for sub in group.get("sub_groups", []):
        sub_passed, sub_failed = count(sub)
        passed += sub_passed
        failed += sub_failed
    return passed, failed


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        passed, failed = count(json.load(f))
    print(passed, failed)


if __name__ == "__main__":
    main()
