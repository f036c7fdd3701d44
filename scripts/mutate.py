#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Mutation testing of the series (make mutate).

Usage: mutate.py [--show] TOP BASE [NAME...]

Reads TOP/mutations/BASE, a list of one-line mutations of the patched
tree build/BASE/linux, each breaking one documented promise.  For each
(or only those named), it changes the one line, rebuilds the x86_64
KUnit kernel of build/BASE/kunit incrementally (scripts/run-kunit.sh),
runs the cases the entry names, or the kselftest, and puts the line
back.  A mutation is killed when the run fails (a case fails, the kernel
crashes, the booted kernel hangs) or the kernel log has a report that no
case provokes on purpose (scripts/scan-kernel-log.sh); it survives when
everything passes; it is void when the kernel does not build, no case
matches or the line is not found (see mutate()).  The tree as it is runs
first, as a control: if it does not pass, nothing else runs.  Prints one
line per mutation and a score, and writes them to
build/BASE/mutate/report.txt with every run's log beside it.  --show
prints each mutation as a diff instead, and builds nothing.

An entry of the list is a block of "key value" lines:
    mutation  a name of its own
    promise   what it breaks, in the words of the documentation
    file      the file, relative to the tree
    within    the start of a line after which the search starts, up to the
              closing brace at column 0 that follows (optional; one that
              ends in "(" matches a definition, not a declaration; each
              further "within" is searched for after the one before)
    line      the line as it is, without its indentation
    becomes   what it becomes (its indentation is kept)
    run       a kunit.py filter glob, or "kselftest"
"""
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time

KUNITCONFIG = "drivers/base/power/.kunitconfig"
# The quickest case, for a kselftest run that needs only the kernel.
KSELFTEST_KUNIT_GLOB = "pm-async-work.paw_get_on_active_device_requests_nothing"
# kunit.py's line for the start of a suite: the guest has booted.
SUITE = re.compile(r"=+ \S+ \(\d+ subtests?\) =+")
FAILED = re.compile(r"\[(?:FAILED|CRASHED)\] (\S+)")
# Seconds a case may take (kunit.timeout, 7.2 and later; 300 by default):
# a mutant that deadlocks a case is killed after this.  The cases of
# pm_async_work_test.c bound their own waits at 10 seconds.
CASE_TIMEOUT = 30
# Seconds without output, once a suite has begun, after which it is hung.
STALL_TIMEOUT = 90
KEYS = ("mutation", "promise", "file", "within", "line", "becomes", "run")


def parse(path):
    entries, cur = [], {}
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            text = raw.rstrip("\n")
            if not text.strip() or text.startswith("#"):
                if cur:
                    entries.append(cur)
                    cur = {}
                continue
            key, _, value = text.partition(" ")
            if key not in KEYS:
                sys.exit(f"{path}:{n}: unknown key '{key}'")
            if key == "promise" and "promise" in cur:
                cur[key] += " " + value.strip()
            elif key == "within":
                cur.setdefault(key, []).append(value.strip())
            else:
                cur[key] = value.strip()
    if cur:
        entries.append(cur)
    for e in entries:
        missing = [k for k in KEYS if k not in e and k != "within"]
        if missing:
            sys.exit(f"{path}: {e.get('mutation', '?')}: no {', '.join(missing)}")
    return entries


def write_file(path, text):
    """Replace PATH with TEXT in one step, so that no kill leaves it cut."""
    with open(path + ".mutate-tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(path + ".mutate-tmp", path)


def mutate(tree, e):
    """Change the line; return the original text, or None if it is not
    found: the first such line after the "within" lines and before the
    closing brace at column 0 that ends their function, or without them
    the only one in the file."""
    path = os.path.join(tree, e["file"])
    with open(path, encoding="utf-8") as f:
        text = f.read()
    lines = text.split("\n")
    start, end = 0, len(lines)
    for anchor in e.get("within", []):
        starts = [i for i in range(start, len(lines))
                  if lines[i].strip().startswith(anchor) and
                  not (anchor.endswith("(") and lines[i].endswith(";"))]
        if not starts:
            return None
        start = starts[0]
    if "within" in e:
        end = next((i for i in range(start, len(lines)) if lines[i] == "}"),
                   len(lines))
    hits = [i for i in range(start, end) if lines[i].strip() == e["line"]]
    # The first after the anchors; without them, the only one in the file.
    if not hits or ("within" not in e and len(hits) > 1):
        return None
    i = hits[0]
    indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
    lines[i] = indent + e["becomes"]
    write_file(path, "\n".join(lines))
    return text


def failed_cases(json_path):
    try:
        with open(json_path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return []
    out = []

    def walk(group):
        for case in group.get("test_cases", []):
            if case.get("status") not in ("PASS", "SKIP"):
                out.append(case.get("name", "?"))
        for sub in group.get("sub_groups", []):
            walk(sub)

    walk(data)
    return out


def failed_kselftests(ktap, rc):
    """The cases that the kselftest runner's KTAP reports as failed."""
    try:
        with open(ktap, encoding="utf-8", errors="replace") as f:
            fails = re.findall(r"^# not ok \d+ (\S+)", f.read(), re.M)
    except OSError:
        fails = []
    return fails or (["kselftest"] if rc else [])


def run_until_failure(cmd, log):
    """Run CMD, its output to LOG, until it ends, a case fails or it hangs.

    A mutation is killed by its first failing case, and a case that fails
    usually waits for its bound first: stop the run there rather than wait
    for every other case to time out too.  A mutant that deadlocks the
    guest is killed once its first suite has begun and nothing has been
    printed for STALL_TIMEOUT seconds (a slow boot is not a hang).
    Returns (exit status, what killed it or "")."""
    lines = queue.Queue()
    # kunit.py prints each case as it ends, unless its output is
    # block-buffered, as it is into a pipe.
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True,
                            errors="replace", start_new_session=True,
                            env=env)

    def reader():
        for text in proc.stdout:
            lines.put(text)
        lines.put(None)

    threading.Thread(target=reader, daemon=True).start()
    first, booted, last = "", False, ""
    with open(log, "w", encoding="utf-8") as out:
        try:
            while True:
                try:
                    text = lines.get(timeout=STALL_TIMEOUT if booted else None)
                except queue.Empty:
                    first = f"hung after {last.strip() or 'the boot'}"
                    break
                if text is None:
                    break
                out.write(text)
                out.flush()
                booted = booted or SUITE.search(text) is not None
                last = text
                m = FAILED.search(text)
                if m:
                    first = "failed: " + m.group(1)
                    break
        finally:
            if proc.poll() is None:
                # timeout(1) puts kunit.py in a group of its own: end the
                # whole session, QEMU included.
                subprocess.call(["pkill", "-TERM", "-s", str(proc.pid)])
    return proc.wait(), first


def run(top, build, e, log):
    """Build and run; return (verdict, detail)."""
    tree, kdir = os.path.join(build, "linux"), os.path.join(build, "kunit")
    json_path = os.path.join(build, "mutate", "kunit.json")
    glob = KSELFTEST_KUNIT_GLOB if e["run"] == "kselftest" else e["run"]
    cmd = [os.path.join(top, "scripts/run-kunit.sh"), tree, kdir, KUNITCONFIG,
           json_path, "normal", f"--kernel_args=kunit.timeout={CASE_TIMEOUT}",
           glob]
    rc, first = run_until_failure(cmd, log)
    with open(log, encoding="utf-8", errors="replace") as f:
        text = f.read()
    booted = "Starting KUnit Kernel" in text
    if not booted:
        return "void", "the kernel did not build"
    if "Ran 0 tests" in text:
        return "void", f"no case matches {glob}"
    if first:
        return "killed", first
    fails = failed_cases(json_path)
    if e["run"] == "kselftest":
        if rc == 0:
            with open(log, "a", encoding="utf-8") as out:
                rc = subprocess.call(
                    [os.path.join(top, "scripts/run-kselftest.sh"), tree, kdir,
                     "x86_64"], stdout=out, stderr=subprocess.STDOUT)
            console = os.path.join(kdir, "kselftest.log")
            fails = failed_kselftests(os.path.join(kdir, "kselftest.ktap"), rc)
        else:
            console = os.path.join(kdir, "test.log")
    else:
        console = os.path.join(kdir, "test.log")
    scan = subprocess.run([os.path.join(top, "scripts/scan-kernel-log.sh"),
                           console], capture_output=True, text=True)
    if rc == 0 and scan.returncode == 0:
        return "survived", ""
    detail = []
    if fails:
        detail.append("failed: " + " ".join(fails))
    elif rc:
        detail.append(f"run failed (exit {rc})")
    if scan.returncode:
        first = scan.stdout.strip().splitlines()[:2]
        detail.append("kernel log: " + " | ".join(first))
    return "killed", "; ".join(detail)


def main():
    # Put the line back when killed too (see the finally clause below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    args = sys.argv[1:]
    show = "--show" in args
    args = [a for a in args if a != "--show"]
    top, base, only = args[0], args[1], set(args[2:])
    build = os.path.join(os.environ.get("BUILD_DIR", os.path.join(top, "build")), base)
    tree = os.path.join(build, "linux")
    entries = parse(os.path.join(top, "mutations", base))
    unknown = only - {e["mutation"] for e in entries}
    if unknown:
        sys.exit(f"mutate: no mutation named {', '.join(sorted(unknown))}")
    if subprocess.run(["git", "-C", tree, "status", "--porcelain",
                       "--untracked-files=no"], capture_output=True,
                      text=True, check=True).stdout:
        sys.exit(f"mutate: {tree} has uncommitted changes")
    if show:
        for e in entries:
            if only and e["mutation"] not in only:
                continue
            original = mutate(tree, e)
            if original is None:
                print(f"{e['mutation']}: line not found: {e['line']}")
                continue
            try:
                subprocess.call(["git", "-C", tree, "--no-pager", "diff", "-U1"])
            finally:
                write_file(os.path.join(tree, e["file"]), original)
        return
    os.makedirs(os.path.join(build, "mutate"), exist_ok=True)
    report = open(os.path.join(build, "mutate", "report.txt"), "w", encoding="utf-8")
    head = subprocess.run(["git", "-C", tree, "log", "-1", "--format=%h %s"],
                          capture_output=True, text=True, check=True).stdout.strip()

    def say(text):
        print(text, flush=True)
        report.write(text + "\n")

    say(f"make mutate, base {base}, {time.strftime('%Y-%m-%d')}, tree at {head}")
    # The control: a kill means something only if the tree as it is passes.
    control = {"mutation": "control", "run": "pm-async-work.*"}
    started = time.time()
    verdict, detail = run(top, build, control,
                          os.path.join(build, "mutate", "control.log"))
    if verdict != "survived":
        say(f"the unmutated tree does not pass ({verdict}: {detail}): stopped")
        sys.exit(1)
    say(f"control: the unmutated tree passes ({time.time() - started:.0f} s)")
    counts = {"killed": 0, "survived": 0, "void": 0}
    for e in entries:
        if only and e["mutation"] not in only:
            continue
        started = time.time()
        original = mutate(tree, e)
        if original is None:
            verdict, detail = "void", f"line not found: {e['line']}"
        else:
            try:
                verdict, detail = run(top, build, e,
                                      os.path.join(build, "mutate", e["mutation"] + ".log"))
            finally:
                write_file(os.path.join(tree, e["file"]), original)
        counts[verdict] += 1
        say(f"{verdict.upper():9} {e['mutation']} ({time.time() - started:.0f} s)"
            f"{': ' + detail if detail else ''}")
    total = sum(counts.values())
    say(f"{counts['killed']} killed, {counts['survived']} survived, "
        f"{counts['void']} void, of {total}; score "
        f"{counts['killed']}/{counts['killed'] + counts['survived']}")
    report.close()
    sys.exit(1 if counts["survived"] or counts["void"] else 0)


if __name__ == "__main__":
    main()
