#!/usr/bin/env python3
"""Import benchmark (issue: import speed and memory).

Generates N canonical contacts with `clausewise demo-data`, imports them into a fresh audit with
the release build, and in the same run times sqlite3's own CLI `.import` of the same file into a
plain table (no parsing, typing or validation). Prints both times, the ratio against the 0.6
target, and the importer's peak memory (max RSS) against the 64 MB target. Run at several sizes
to see that the cost is linear in rows:

    scripts/bench_import.py 100000 1000000
"""
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
CLI = TARGET / "release" / "clausewise"


def timed(cmd, **kw):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kw)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, after if after > before else None


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [1_000_000]
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "clausewise"], cwd=ROOT, check=True)
    if not shutil.which("sqlite3"):
        sys.exit("sqlite3 is needed for the comparison (apt-get install sqlite3)")
    print(f"{'rows':>10} {'clausewise s':>13} {'sqlite3 .import s':>18} {'ratio':>7} {'target':>7} {'peak MB':>8} {'rows/s':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n in sizes:
            data = tmp / f"calls-{n}.csv"
            subprocess.run([CLI, "demo-data", "calls", str(n), "--out", data], check=True, stdout=subprocess.DEVNULL)
            audit = tmp / f"bench-{n}.ccaudit"
            subprocess.run([CLI, "new", audit, "--org", "Benchmark"], check=True, stdout=subprocess.DEVNULL)
            # Peak memory of the import alone: a fresh child per measurement.
            ours, _ = timed([CLI, "import", audit, "calls", data])
            rss = peak_rss([CLI, "import", audit, "calls", data, "--replace"])
            plain = tmp / f"plain-{n}.db"
            theirs, _ = timed(["sqlite3", plain, "-cmd", ".mode csv", f".import {data} contact"])
            ratio = ours / theirs
            print(f"{n:>10} {ours:>13.2f} {theirs:>18.2f} {ratio:>7.2f} {'<= 0.60':>7} {rss / 1024:>8.1f} {n / ours:>10.0f}")
            for p in (data, audit, plain):
                p.unlink()


def peak_rss(cmd):
    """Max RSS in KiB of one run of `cmd`, measured in a separate process."""
    probe = (
        "import resource, subprocess, sys;"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", probe, *map(str, cmd)], check=True, capture_output=True, text=True)
    return int(out.stdout.strip())


if __name__ == "__main__":
    main()
