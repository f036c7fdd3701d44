#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the console logs of run-bench.sh into a table, JSON and a plot.

Reads DIR/logs/I-A.log and I-B.log (round I: unpatched A, patched B),
I+1-A.log of the last round (the A/A pairs) and icount-A.log, icount-B.log
(the -icount boots: one nanosecond is one instruction).  Each log holds the
"pm_bench: NAME=VALUE" lines of bench/pm_bench.c.  Prints a Markdown table
and writes DIR/bench.json, DIR/bench.md and DIR/bench.png (gnuplot).
Ratios are taken per pair of boots (B of round I over A of round I; A of
round I+1 over A of round I for the noise floor), then summarised by their
median and range.
"""

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys

LINE = re.compile(r'pm_bench: ([a-z0-9_]+)=(-?\d+)\s*$')


def read_log(path):
    values = {}
    with open(path, errors='replace') as f:
        for line in f:
            m = LINE.search(line.replace('\r', ''))
            if m:
                values[m.group(1)] = int(m.group(2))
    if values.get('done') != 0:
        sys.exit(f'bench-report: {path}: the benchmark did not finish cleanly')
    return values


def summary(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return None
    return {'median': statistics.median(xs), 'min': min(xs), 'max': max(xs),
            'n': len(xs), 'values': xs}


def fmt(s, scale=1.0, digits=1):
    if s is None:
        return 'n/a'
    m, lo, hi = (s['median'] / scale, s['min'] / scale, s['max'] / scale)
    if s['n'] == 1:
        return f'{m:.{digits}f}'
    return f'{m:.{digits}f} ({lo:.{digits}f}-{hi:.{digits}f})'


def fmt_ratio(s):
    return fmt(s, 1.0, 3)


def read_reference(path, version):
    """The unpatched base's instructions per fast-path operation, by metric."""
    ref = {}
    with open(path) as f:
        for line in f:
            w = line.split()
            if len(w) == 3 and not w[0].startswith('#') and w[0] == version:
                ref[w[1]] = float(w[2])
    return ref


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--dir', required=True)
    ap.add_argument('--base', required=True)
    ap.add_argument('--version', required=True)
    ap.add_argument('--rounds', type=int, required=True)
    ap.add_argument('--params', default='')
    ap.add_argument('--max-extra-instructions', type=float,
                    help='fail if B executes more instructions than this per fast-path '
                    'operation beyond A (the changelog of patch 1 gives the counts)')
    ap.add_argument('--reference-instructions', metavar='FILE',
                    help='with --max-extra-instructions: compare B with the counts FILE '
                    'gives for the unpatched base of --version ("VERSION NAME COUNT" lines, '
                    'from a make bench run) instead of with A\'s (make check\'s smoke run, '
                    'where A is the patched kernel too)')
    args = ap.parse_args()

    logs = os.path.join(args.dir, 'logs')
    A = [read_log(os.path.join(logs, f'{i}-A.log')) for i in range(1, args.rounds + 2)]
    B = [read_log(os.path.join(logs, f'{i}-B.log')) for i in range(1, args.rounds + 1)]
    ic = {k: read_log(os.path.join(logs, f'icount-{k}.log')) for k in 'AB'}
    if any(b.get('series') != 1 for b in B) or any(a.get('series') != 0 for a in A):
        sys.exit('bench-report: A must be the unpatched kernel and B the patched one')
    pairs = list(zip(A[:args.rounds], B))
    aa = list(zip(A[:args.rounds], A[1:]))

    def per_kernel(name, runs):
        return summary([r.get(name) for r in runs[:args.rounds]])

    def ratio(num, den, runs):
        return summary([x[1][num] / x[0][den] for x in runs
                        if num in x[1] and den in x[0] and x[0][den]])

    out = {'base': args.base, 'version': args.version,
           'date': datetime.date.today().isoformat(),
           'machine': f'{os.cpu_count()} CPUs, {platform.machine()}, QEMU TCG',
           'rounds': args.rounds, 'params': args.params, 'metrics': {}}
    md = []
    md.append(f'### {args.base} (Debian {args.version}), {out["date"]}, '
              f'{args.rounds} rounds A B, {out["machine"]}')
    md.append('')

    # 1, 2: the fast path.
    md.append('| per operation, active device | A unpatched, ns | B patched, ns '
              '| B/A per pair | A/A per pair | instructions A | instructions B |')
    md.append('|---|---|---|---|---|---|---|')
    fast = [('get + put, no callback', 'plain_get_put_ps', 'plain_get_put_ps'),
            ('get_sync + put_noidle, no callback', 'plain_get_sync_put_noidle_ps',
             'plain_get_sync_put_noidle_ps'),
            ('get + put, driver with ->pm_async_work', 'plain_get_put_ps', 'cb_get_put_ps'),
            ('get_sync + put_noidle, driver with ->pm_async_work',
             'plain_get_sync_put_noidle_ps', 'cb_get_sync_put_noidle_ps')]
    for label, a_name, b_name in fast:
        m = {'A': per_kernel(a_name, A), 'B': per_kernel(b_name, B),
             'ratio_B_A': ratio(b_name, a_name, pairs),
             'ratio_A_A': ratio(a_name, a_name, aa),
             'instructions_A': ic['A'].get(a_name, 0) / 1000,
             'instructions_B': ic['B'].get(b_name, 0) / 1000}
        out['metrics'][b_name if a_name == b_name else b_name + '_vs_plain'] = m
        md.append(f'| {label} | {fmt(m["A"], 1000)} | {fmt(m["B"], 1000)} '
                  f'| {fmt_ratio(m["ratio_B_A"])} | {fmt_ratio(m["ratio_A_A"])} '
                  f'| {m["instructions_A"]:.1f} | {m["instructions_B"]:.1f} |')
    reference = {name: m['instructions_A'] for name, m in out['metrics'].items()}
    if args.reference_instructions:
        reference = read_reference(args.reference_instructions, args.version)
        missing = set(out['metrics']) - set(reference)
        if missing:
            sys.exit(f'bench-report: {args.reference_instructions} has no counts for '
                     f'{args.version}: {sorted(missing)} (make bench gives them)')
    extra = {name: m['instructions_B'] - reference[name]
             for name, m in out['metrics'].items()}
    cal = {k: ic[k].get('calibrate_2insn_loop_ps', 0) / 1000 for k in 'AB'}
    out['metrics']['icount_calibration_ns_per_2insn_loop'] = cal
    md.append('')
    md.append(f'Instructions: QEMU `-icount shift=0` boots, where the guest clock '
              f'advances 1 ns per instruction; a loop of two instructions per '
              f'iteration took {cal["A"]:.2f} (A) and {cal["B"]:.2f} (B) ns per '
              f'iteration there.')
    md.append('')

    # 3: coalescing.
    md.append('| 1000 pm_runtime_get() from 4 threads, suspended device '
              '| A resumes | B resumes | B callbacks |')
    md.append('|---|---|---|---|')

    def minmax(runs, lo, hi):
        los = [r[lo] for r in runs if lo in r]
        his = [r[hi] for r in runs if hi in r]
        if not los:
            return None
        return {'min': min(los), 'max': max(his)}

    def fmt_mm(x):
        if x is None:
            return 'n/a'
        return str(x['min']) if x['min'] == x['max'] else f'{x["min"]}-{x["max"]}'

    co = {'A_plain_resumes': minmax(A, 'plain_coalesce_resumes_min', 'plain_coalesce_resumes_max'),
          'B_plain_resumes': minmax(B, 'plain_coalesce_resumes_min', 'plain_coalesce_resumes_max'),
          'B_cb_resumes': minmax(B, 'cb_coalesce_resumes_min', 'cb_coalesce_resumes_max'),
          'B_cb_callbacks': minmax(B, 'cb_coalesce_callbacks_min', 'cb_coalesce_callbacks_max'),
          'rounds_per_boot': B[0].get('cb_coalesce_rounds')}
    for k, runs in (('A', A[:args.rounds]), ('B', B)):
        for what in ('queued', 'resuming', 'active'):
            co[f'{k}_gets_{what}'] = sum(r.get(f'plain_coalesce_gets_{what}', 0) +
                                         r.get(f'cb_coalesce_gets_{what}', 0) for r in runs)
    out['metrics']['coalescing'] = co
    md.append(f'| driver without the callback | {fmt_mm(co["A_plain_resumes"])} '
              f'| {fmt_mm(co["B_plain_resumes"])} | - |')
    md.append(f'| driver with ->pm_async_work | - | {fmt_mm(co["B_cb_resumes"])} '
              f'| {fmt_mm(co["B_cb_callbacks"])} |')
    md.append('')
    md.append('What those gets returned, all boots and rounds: ' + '; '.join(
        f'{k}: {co[f"{k}_gets_queued"]} found the resume to be queued (0), '
        f'{co[f"{k}_gets_resuming"]} in progress (-EINPROGRESS), '
        f'{co[f"{k}_gets_active"]} done (1)' for k in 'AB') + '.')
    md.append('')

    # 4: dispatch latency.
    md.append('| suspended device to the first line of driver code, µs '
              '| median | p99 | over the work item of the same boot | instructions, median |')
    md.append('|---|---|---|---|---|')
    disp = {}
    for label, key, runs, k in [('A: work item on pm_wq, pm_runtime_resume_and_get()',
                                 'dispatch_work', A, 'A'),
                                ('B: the same work item', 'dispatch_work', B, 'B'),
                                ('A: pm_runtime_get(), then the work item',
                                 'dispatch_get_work', A, 'A'),
                                ('B: the same, pm_runtime_get() and work item',
                                 'dispatch_get_work', B, 'B'),
                                ('B: pm_runtime_get(), ->pm_async_work()',
                                 'dispatch_callback', B, 'B')]:
        d = {'median': per_kernel(key + '_median_ns', runs),
             'p99': per_kernel(key + '_p99_ns', runs),
             'instructions_median': ic[k].get(key + '_median_ns')}
        if key == 'dispatch_callback':
            d['ratio_to_work_median'] = summary(
                [b['dispatch_callback_median_ns'] / b['dispatch_work_median_ns'] for b in B])
            d['ratio_to_work_p99'] = summary(
                [b['dispatch_callback_p99_ns'] / b['dispatch_work_p99_ns'] for b in B])
            d['ratio_to_get_work_median'] = summary(
                [b['dispatch_callback_median_ns'] / b['dispatch_get_work_median_ns'] for b in B])
            rel = (f'median {fmt_ratio(d["ratio_to_work_median"])}, '
                   f'p99 {fmt_ratio(d["ratio_to_work_p99"])}; over pm_runtime_get() and '
                   f'the work item: median {fmt_ratio(d["ratio_to_get_work_median"])}')
        else:
            rel = '-'
        disp[label] = d
        md.append(f'| {label} | {fmt(d["median"], 1000, 2)} | {fmt(d["p99"], 1000, 2)} | {rel} '
                  f'| {d["instructions_median"]} |')
    out['metrics']['dispatch'] = disp
    md.append('')

    # 5: genpd.
    sizes = sorted({int(m.group(1)) for k in B[0]
                    for m in [re.match(r'genpd_resume_inflight_(\d+)_ns$', k)] if m})
    md.append('| resume of one device, N others blocked in ->runtime_suspend(), µs '
              '| A | B | A: N/1 per boot | B: N/1 per boot | first resume A / B |')
    md.append('|---|---|---|---|---|---|')
    herds = {}
    for where, label in (('genpd', 'in one genpd domain'), ('nodomain', 'in no PM domain')):
        herd = {}
        for n in sizes:
            key = f'{where}_resume_inflight_{n}_ns'
            first = f'{where}_first_resume_inflight_{n}_ns'
            h = {'A': per_kernel(key, A), 'B': per_kernel(key, B),
                 'A_first': per_kernel(first, A), 'B_first': per_kernel(first, B)}
            for k, runs in (('A', A[:args.rounds]), ('B', B)):
                h[f'{k}_ratio_to_1'] = summary(
                    [r[key] / r[f'{where}_resume_inflight_1_ns'] for r in runs])
                h[f'{k}_first_ratio_to_1'] = summary(
                    [r[first] / r[f'{where}_first_resume_inflight_1_ns'] for r in runs])
            herd[n] = h
            md.append(f'| {label}, N = {n} | {fmt(h["A"], 1000, 2)} | {fmt(h["B"], 1000, 2)} '
                      f'| {fmt_ratio(h["A_ratio_to_1"])} | {fmt_ratio(h["B_ratio_to_1"])} '
                      f'| {fmt(h["A_first"], 1000, 2)} / {fmt(h["B_first"], 1000, 2)} |')
        herds[where] = herd
    herd = herds['genpd']
    # genpd's own growth: its N/1 ratio over that of the control, per boot.
    own = {}
    for k, runs in (('A', A[:args.rounds]), ('B', B)):
        own[k] = {n: summary([(r[f'genpd_resume_inflight_{n}_ns'] /
                               r['genpd_resume_inflight_1_ns']) /
                              (r[f'nodomain_resume_inflight_{n}_ns'] /
                               r['nodomain_resume_inflight_1_ns']) for r in runs])
                  for n in sizes}
    herds['genpd_over_nodomain'] = own
    md.append('')
    md.append('genpd over the control (its N/1 divided by that of the devices in no '
              'PM domain, per boot), N = ' + ', '.join(str(n) for n in sizes[1:]) +
              ': A ' + ', '.join(fmt_ratio(own['A'][n]) for n in sizes[1:]) +
              '; B ' + ', '.join(fmt_ratio(own['B'][n]) for n in sizes[1:]) + '.')
    out['metrics']['herd'] = herds
    md.append('')
    depth = B[0].get('genpd_chain_depth')
    out['metrics']['genpd_chain_depth'] = depth
    unrel = sorted({int(m.group(1)) for k in B[0]
                    for m in [re.match(r'genpd_failed_on_(\d+)_power_ons$', k)] if m})
    md.append(f'| genpd: failed power-on of the leaf of a chain of {depth} domains '
              '| power-on calls A / B | power-off calls A / B '
              '| calls to unrelated domains A / B | time A / B, µs |')
    md.append('|---|---|---|---|---|')
    failed = {}
    for u in unrel:
        f = {}
        for what in ('power_ons', 'power_offs', 'unrelated_calls'):
            key = f'genpd_failed_on_{u}_{what}'
            f[what] = {k: sorted({r[key] for r in runs})
                       for k, runs in (('A', A), ('B', B))}
        key = f'genpd_failed_on_{u}_ns'
        f['time'] = {'A': per_kernel(key, A), 'B': per_kernel(key, B)}
        failed[u] = f

        def vals(d):
            return ' / '.join(','.join(map(str, d[k])) for k in 'AB')
        md.append(f'| {u} unrelated domains registered | {vals(f["power_ons"])} '
                  f'| {vals(f["power_offs"])} | {vals(f["unrelated_calls"])} '
                  f'| {fmt(f["time"]["A"], 1000, 2)} / {fmt(f["time"]["B"], 1000, 2)} |')
    out['metrics']['genpd_failed_power_on'] = failed
    md.append('')

    # 6: sizes.
    pahole = {}
    for k in 'AB':
        path = os.path.join(args.dir, f'pahole-{k}.txt')
        with open(path) as f:
            pahole[k] = {line.split()[0]: int(line.split()[1]) for line in f if line.strip()}
    md.append('| size, bytes (pahole on pm_bench.o) | A | B | B - A |')
    md.append('|---|---|---|---|')
    sz = {}
    for name in ('device', 'dev_pm_info', 'device_driver'):
        a, b = pahole['A'].get(name), pahole['B'].get(name)
        own = {k: runs[0].get(f'sizeof_struct_{name}') for k, runs in (('A', A), ('B', B))}
        if own != {'A': a, 'B': b}:
            sys.exit(f'bench-report: pahole and sizeof() disagree on struct {name}')
        sz[name] = {'A': a, 'B': b}
        md.append(f'| struct {name} | {a} | {b} | {b - a:+d} |')
    out['metrics']['sizes'] = sz
    md.append('')

    with open(os.path.join(args.dir, 'config.diff')) as f:
        out['config_diff'] = f.read().splitlines()

    too_many = {name: x for name, x in extra.items()
                if args.max_extra_instructions is not None and x > args.max_extra_instructions}
    if too_many:
        sys.exit('bench-report: the fast path of B executes more instructions than the '
                 f'unpatched kernel\'s by more than {args.max_extra_instructions} per operation: {too_many}')

    with open(os.path.join(args.dir, 'bench.json'), 'w') as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write('\n')
    text = '\n'.join(md) + '\n'
    with open(os.path.join(args.dir, 'bench.md'), 'w') as f:
        f.write(text)
    print(text)
    plot(args, out, disp, herd, herds['nodomain'], failed, sizes, unrel)


def plot(args, out, disp, herd, nodomain, failed, sizes, unrel):
    d = args.dir
    with open(os.path.join(d, 'dispatch.dat'), 'w') as f:
        for i, (label, v) in enumerate(disp.items()):
            short = label.split(':')[0] + (': callback' if 'pm_async_work' in label
                                           else ': get + work' if 'pm_runtime_get()' in label
                                           else ': work item')
            f.write(f'{i} "{short}" {v["median"]["median"] / 1000} '
                    f'{v["p99"]["median"] / 1000}\n')
    with open(os.path.join(d, 'herd.dat'), 'w') as f:
        for n in sizes:
            f.write(f'{n} ' + ' '.join(f'{h[k]["median"] / 1000} {h[k]["min"] / 1000} '
                                       f'{h[k]["max"] / 1000}'
                                       for h in (herd[n], nodomain[n]) for k in 'AB') + '\n')
    with open(os.path.join(d, 'failed.dat'), 'w') as f:
        for u in unrel:
            v = failed[u]
            f.write(f'{u} {max(v["power_ons"]["B"])} {max(v["power_offs"]["B"])} '
                    f'{max(v["unrelated_calls"]["B"])} {max(v["power_ons"]["A"])} '
                    f'{max(v["power_offs"]["A"])} {max(v["unrelated_calls"]["A"])}\n')
    title = f'{args.base} (Debian {args.version}), {out["date"]}, QEMU TCG'
    gp = f'''set terminal pngcairo size 1500,480 font ",10" noenhanced
set output "{d}/bench.png"
set multiplot layout 1,3 title "{title}: medians of {args.rounds} boots per kernel"
set title "pm_runtime_get() to driver code, suspended device"
set ylabel "µs"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.7 border -1
set boxwidth 0.9
set yrange [0:*]
set key top left
set xtics rotate by -15
plot "{d}/dispatch.dat" using 3:xtic(2) title "median", "" using 4 title "p99"
set title "resume with N other suspends blocked (second resume)"
set xlabel "N"
set logscale x 2
set xtics auto norotate
set ylabel "µs"
plot "{d}/herd.dat" using 1:2:3:4 with yerrorlines title "genpd, A unpatched", \\
     "" using 1:5:6:7 with yerrorlines title "genpd, B patched", \\
     "" using 1:8:9:10 with yerrorlines dt 2 title "no PM domain, A", \\
     "" using 1:11:12:13 with yerrorlines dt 2 title "no PM domain, B"
unset logscale x
set title "genpd: callbacks of one failed power-on (chain of {out['metrics']['genpd_chain_depth']})"
set xlabel "unrelated domains registered"
set ylabel "calls"
set yrange [-0.5:*]
set offsets 50, 50, 0.5, 0
plot "{d}/failed.dat" using 1:2 with linespoints title "power-on (B)", \\
     "" using 1:3 with linespoints title "power-off (B)", \\
     "" using 1:4 with linespoints title "unrelated (B)", "" using 1:5 with points pt 6 ps 2 title "power-on (A)", \\
     "" using 1:6 with points pt 6 ps 2 title "power-off (A)", \\
     "" using 1:7 with points pt 6 ps 2 title "unrelated (A)"
unset multiplot
'''
    with open(os.path.join(d, 'bench.gp'), 'w') as f:
        f.write(gp)
    subprocess.run(['gnuplot', os.path.join(d, 'bench.gp')], check=True)
    print(f'bench-report: wrote {d}/bench.json, bench.md and bench.png')


if __name__ == '__main__':
    main()
