#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Write one JUnit XML file over every check of make check.

Reads the records that scripts/check.sh writes (a line per check or run:
base, kind, name, status or results file, log) and writes, per base, a
<testsuite> whose <testcase>s are its checks and the cases of its KUnit
runs (kunit.py's JSON) and kselftest runs (the runner's KTAP).  Counted as
check.sh counts them: a skipped KUnit case is <skipped/>, a skipped
kselftest case is a failure, and so is a case that a kselftest program's
plan announced but that never reported.
  junit-report.py RECORDS OUT
"""
import json
import re
import sys
import xml.etree.ElementTree as ET


def tail(path, lines=60):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return ""


def case(suite, classname, name, status, output=""):
    tc = ET.SubElement(suite, "testcase", classname=classname, name=name)
    if status == "fail":
        ET.SubElement(tc, "failure", message="failed").text = output
    elif status == "skip":
        ET.SubElement(tc, "skipped")


def kunit_output(log, name):
    """What kunit.py printed for a failed case: its lines in the run's log,
    back to the result before it."""
    try:
        with open(log, encoding="utf-8", errors="replace") as f:
            lines = f.readlines()
    except OSError:
        return ""
    for end, line in enumerate(lines):
        if re.search(rf"\[(FAILED|CRASHED)\] {re.escape(name)}$", line.rstrip()):
            start = end
            while start > 0 and not re.search(r"\[(PASSED|FAILED|SKIPPED|CRASHED)\]|====",
                                              lines[start - 1]):
                start -= 1
            return "".join(lines[start:end + 1])
    return ""


def kunit_cases(suite, prefix, group, log, suite_name=None, case_prefix=""):
    """The cases of a kunit.py JSON group: class BASE.RUN.SUITE; the
    parameters of a parameterised case are cases named CASE/PARAM."""
    for tc in group.get("test_cases", []):
        status = {"PASS": "pass", "SKIP": "skip"}.get(tc.get("status"), "fail")
        name = tc.get("name", "")
        case(suite, f"{prefix}.{suite_name or group.get('name', '')}",
             case_prefix + name, status,
             kunit_output(log, name) if status == "fail" else "")
    for sub in group.get("sub_groups", []):
        if suite_name is None and group.get("name") == "KUnit Test Group":
            kunit_cases(suite, prefix, sub, log)
        elif suite_name is None:
            kunit_cases(suite, prefix, sub, log, group.get("name", ""),
                        sub.get("name", "") + "/")
        else:
            kunit_cases(suite, prefix, sub, log, suite_name,
                        case_prefix + sub.get("name", "") + "/")


def kselftest_cases(suite, prefix, ktap):
    program, plan, results = None, 0, 0

    def close():
        for i in range(results, plan):
            case(suite, f"{prefix}.{program}", f"case {i + 1}", "fail",
                 "announced by the plan, never reported")

    with open(ktap, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = re.match(r"# selftests: \S+: (\S+)", line)
            if m:
                if program:
                    close()
                program, plan, results = m.group(1), 0, 0
                continue
            m = re.match(r"# 1\.\.(\d+)$", line)
            if program and m:
                plan = int(m.group(1))
                continue
            m = re.match(r"# (not ok|ok) \d+ (.*?)( # .*)?$", line)
            if program and m:
                results += 1
                ok = m.group(1) == "ok" and "# SKIP" not in line
                case(suite, f"{prefix}.{program}", m.group(2),
                     "pass" if ok else "fail", line)
                continue
            m = re.match(r"(not ok|ok) \d+ selftests: \S+: (\S+)", line)
            if m:
                if results == 0:
                    ok = m.group(1) == "ok" and "# SKIP" not in line
                    case(suite, f"{prefix}.{m.group(2)}", m.group(2),
                         "pass" if ok else "fail", line)
                close()
                program = None
    if program:
        if results == 0:
            case(suite, f"{prefix}.{program}", program, "fail", "no result")
        close()


def main():
    root = ET.Element("testsuites", name="make check")
    suites = {}
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            base, kind, name, what, log = line.rstrip("\n").split("\t")
            if base not in suites:
                suites[base] = ET.SubElement(root, "testsuite", name=base)
            suite = suites[base]
            if kind == "check":
                case(suite, f"{base}.checks", name, what,
                     tail(log) if what == "fail" else "")
            elif kind == "KUnit":
                with open(what, encoding="utf-8") as j:
                    kunit_cases(suite, f"{base}.{name}", json.load(j), log)
            elif kind == "kselftest":
                kselftest_cases(suite, f"{base}.{name}", what)
    for suite in root:
        cases = suite.findall("testcase")
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(sum(c.find("failure") is not None for c in cases)))
        suite.set("errors", "0")
        suite.set("skipped", str(sum(c.find("skipped") is not None for c in cases)))
    ET.indent(root)
    ET.ElementTree(root).write(sys.argv[2], encoding="utf-8", xml_declaration=True)


if __name__ == "__main__":
    main()
