#!/usr/bin/env python3
"""Metrics benchmark (issue: evidence engine speed).

Builds an audit holding N contacts and N/10 complaints (`clausewise demo-data`, imported with the
release build), then times in the same run:

- `clausewise metrics AUDIT --json`: every metric of spec/metrics.md over all contacts and
  complaints (a whole process: open the audit, compute, print), and
- DuckDB running ONE aggregate query (offered contacts, service level, abandonment and ASA counts)
  over the same contacts CSV — the reference the issue sets ("no slower than DuckDB"), and
- `clausewise distributions AUDIT --json`: the dashboard's queue-wait and resolution-time
  distributions (target: well under a second at 1,000,000 contacts).

Each is run REPEAT times; the table shows the median and the best. DuckDB comes from PyPI and is
installed for the current user when missing.

    scripts/bench_metrics.py [N ...]        # default 1000000
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
CLI = TARGET / "release" / "clausewise"
REPEAT = 5

QUERY = """
SELECT
  count(*) FILTER (WHERE offered) AS offered,
  count(*) FILTER (WHERE offered AND outcome = 'answered' AND queue_seconds <= 20) AS sl_k,
  count(*) FILTER (WHERE offered AND outcome IN ('answered', 'abandoned')) AS sl_n,
  count(*) FILTER (WHERE offered AND outcome = 'abandoned') AS ab_k,
  avg(queue_seconds) FILTER (WHERE offered AND outcome = 'answered') AS asa
FROM (
  SELECT *, channel = 'voice' AND direction = 'inbound' AND queue_seconds IS NOT NULL
            AND NOT (outcome = 'abandoned' AND queue_seconds < 5) AS offered
  FROM read_csv('{path}', header = true)
)
"""


def duckdb_module():
    try:
        import duckdb  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--user", "duckdb"], check=True)
        import site
        import importlib

        sys.path.append(site.getusersitepackages())
        importlib.invalidate_caches()
    import duckdb

    return duckdb


def times(fn):
    out = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return statistics.median(out), min(out)


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [1_000_000]
    duckdb = duckdb_module()
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "clausewise"], cwd=ROOT, check=True)
    quiet = dict(check=True, stdout=subprocess.DEVNULL)
    print(
        f"{'contacts':>10} {'complaints':>10} {'clausewise metrics s':>21} {'duckdb 1 query s':>17} {'ratio':>6}"
        f" {'distributions s':>17}  (median; best)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n in sizes:
            calls, complaints = tmp / "calls.csv", tmp / "complaints.csv"
            subprocess.run([CLI, "demo-data", "calls", str(n), "--out", calls], **quiet)
            subprocess.run([CLI, "demo-data", "complaints", str(n // 10), "--out", complaints], **quiet)
            audit = tmp / "bench.ccaudit"
            subprocess.run([CLI, "new", audit, "--org", "Benchmark"], **quiet)
            subprocess.run([CLI, "import", audit, "calls", calls], **quiet)
            subprocess.run([CLI, "import", audit, "complaints", complaints], **quiet)

            ours = times(lambda: subprocess.run([CLI, "metrics", audit, "--json"], **quiet))
            con = duckdb.connect()
            query = QUERY.format(path=calls)
            theirs = times(lambda: con.execute(query).fetchall())
            dist = times(lambda: subprocess.run([CLI, "distributions", audit, "--json"], **quiet))
            print(
                f"{n:>10} {n // 10:>10} {ours[0]:>12.3f} ({ours[1]:.3f}) {theirs[0]:>8.3f} ({theirs[1]:.3f})"
                f" {ours[0] / theirs[0]:>6.2f} {dist[0]:>8.3f} ({dist[1]:.3f})"
            )
            print("  target: clausewise no slower than DuckDB (ratio <= 1.00); distributions < 1 s")
            for p in (calls, complaints, audit):
                p.unlink()


if __name__ == "__main__":
    main()
