#!/usr/bin/env python3
"""Report benchmark (issue: readiness report in at most 2 s for 1,000,000 contacts).

Builds an audit holding N synthetic contacts (and N/100 complaints) with `clausewise demo-data`
and `import`, grades a few clauses, then times with the release build, each in a fresh process:
`clausewise metrics` (the evidence alone: one pass over the records) and `clausewise report` in
every format and both languages. Prints each time beside the metrics time and the 2 s target:

    scripts/bench_report.py            # 1,000,000 contacts
    scripts/bench_report.py 100000 1000000
"""
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
CLI = TARGET / "release" / "clausewise"
TARGET_SECONDS = 2.0
RUNS = 3


def run(*args):
    subprocess.run([CLI, *map(str, args)], check=True, stdout=subprocess.DEVNULL)


def best_of(*args):
    """The fastest of RUNS runs, each a fresh process (no warm cache inside the program)."""
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        run(*args)
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [1_000_000]
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "clausewise"], cwd=ROOT, check=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n in sizes:
            calls, complaints = tmp / "calls.csv", tmp / "complaints.csv"
            run("demo-data", "calls", n, "--out", calls)
            run("demo-data", "complaints", max(n // 100, 1), "--out", complaints)
            audit = tmp / f"bench-{n}.ccaudit"
            run("new", audit, "--org", "Benchmark Çağrı Merkezi", "--auditor", "Elif Şahin")
            run("import", audit, "calls", calls)
            run("import", audit, "complaints", complaints)
            for clause, grade in (("4.1.1", "conforming"), ("6.1", "ofi"), ("8.3", "conforming")):
                run("grade", audit, clause, grade, "--note", "benchmark", "--reason", "benchmark")
            metrics = best_of("metrics", audit)
            print(f"\n{n:,} contacts, {max(n // 100, 1):,} complaints (best of {RUNS} runs)")
            print(f"{'command':<24} {'seconds':>8} {'× metrics':>10} {'target':>8} {'size':>12}")
            print(f"{'metrics':<24} {metrics:>8.2f} {1:>10.2f} {'':>8} {'':>12}")
            for fmt in ("json", "html", "csv", "pdf"):
                for lang in ("en", "tr"):
                    out = tmp / f"report-{lang}.{fmt}"
                    took = best_of("report", audit, "--format", fmt, "--lang", lang, "--out", out)
                    ok = "ok" if took <= TARGET_SECONDS else "SLOW"
                    size = out.stat().st_size
                    label = f"report {fmt} {lang}"
                    print(f"{label:<24} {took:>8.2f} {took / metrics:>10.2f} {'≤ 2 s ' + ok:>8} {size:>12,}")
                    run("verify", out, "--audit", audit)
            for p in (calls, complaints, audit):
                p.unlink()


if __name__ == "__main__":
    main()
