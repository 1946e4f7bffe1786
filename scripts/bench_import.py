#!/usr/bin/env python3
"""Import benchmark (issue: import speed and memory).

Generates N canonical contacts with `clausewise demo-data`, imports them into a fresh audit with
the release build, and in the same run times sqlite3's own CLI `.import` of the same file (same
disk) into a fresh plain database (no parsing, typing or validation). Prints both times, the
ratio against the 0.6 target, both processes' CPU time (user + system) and the importer's peak
memory (max RSS) against the 64 MB target. Run at several sizes to see that the cost is linear
in rows, and several times each (wall time is noisy on a shared machine):

    scripts/bench_import.py 100000 1000000 --repeat 3

The importer reads and checks rows on one thread and writes them on another, so its wall time
gains from a second free processor; the load average printed with each run tells how free the
machine was.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
CLI = TARGET / "release" / "clausewise"


def run(cmd):
    """Wall seconds, CPU seconds (user + system) and peak RSS (KiB) of one run of `cmd`."""
    start = time.perf_counter()
    child = subprocess.Popen([str(c) for c in cmd], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd[0]} failed: {status}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[1_000_000])
    parser.add_argument("--repeat", type=int, default=1, help="runs per size (default 1)")
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "clausewise"], cwd=ROOT, check=True)
    if not shutil.which("sqlite3"):
        raise SystemExit("sqlite3 is needed for the comparison (apt-get install sqlite3)")
    print(
        f"{'rows':>9} {'clausewise s':>12} {'sqlite3 s':>9} {'ratio':>6} {'target':>7} "
        f"{'cpu s':>6} {'sqlite3 cpu s':>13} {'peak MB':>7} {'rows/s':>8} {'load':>5}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n in args.sizes:
            data = tmp / f"calls-{n}.csv"
            subprocess.run([CLI, "demo-data", "calls", str(n), "--out", data], check=True, stdout=subprocess.DEVNULL)
            ratios = []
            for _ in range(args.repeat):
                audit = tmp / f"bench-{n}.ccaudit"
                subprocess.run([CLI, "new", audit, "--org", "Benchmark"], check=True, stdout=subprocess.DEVNULL)
                plain = tmp / f"plain-{n}.db"
                load = os.getloadavg()[0]
                ours, ours_cpu, rss = run([CLI, "import", audit, "calls", data])
                theirs, theirs_cpu, _ = run(["sqlite3", plain, "-cmd", ".mode csv", f".import {data} contact"])
                ratio = ours / theirs
                ratios.append(ratio)
                print(
                    f"{n:>9} {ours:>12.2f} {theirs:>9.2f} {ratio:>6.2f} {'<= 0.60':>7} "
                    f"{ours_cpu:>6.2f} {theirs_cpu:>13.2f} {rss / 1024:>7.1f} {n / ours:>8.0f} {load:>5.1f}",
                    flush=True,
                )
                for p in (audit, plain):
                    p.unlink()
            if args.repeat > 1:
                print(f"{n:>9} median ratio {statistics.median(ratios):.2f}, best {min(ratios):.2f}")
            data.unlink()


if __name__ == "__main__":
    main()
