"""The policy batch on Spark in local mode over a synthetic city (a script, not a test).

Input: a directory written by ``bench/city_parquet.py`` (or by ``minzheng
policy export-inputs``). Runs ``minzheng.eligibility.spark_batch.spark_batch_run``
— the command ``minzheng policy spark-batch`` without Django — and prints:
persons, households, decision rows; time per stage (read/count, shuffle +
evaluate + write, summary); persons/s; peak memory (resident set of this
process and all its children: the Spark JVM and its Python workers, sampled
every 0.5 s); and the engine's share (a chunk-level timer summed over tasks).

Run: ``PYTHONPATH=. .venv/bin/python bench/spark_city.py --inputs var/city --out var/city-out``
(``--master local[*]`` by default, ``--driver-memory 6g``; ``--shuffle`` forces
the general path on inputs laid out by household, to compare the two). The machine may be
shared: say so with the figures.
"""

from __future__ import annotations

import argparse
import threading
import time

import psutil

from minzheng.eligibility import spark_batch
from minzheng.eligibility.parquet_inputs import read_meta


class PeakMemory:
    """The largest RSS sum of this process tree seen while running."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(0.5)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--master", default="local[*]")
    parser.add_argument("--driver-memory", default="6g")
    parser.add_argument("--partitions", type=int, default=None)
    parser.add_argument("--chunk-rows", type=int, default=spark_batch.CHUNK_ROWS)
    parser.add_argument("--shuffle", action="store_true",
                        help="the general path (repartition by household) even for inputs laid out by household")
    args = parser.parse_args()
    meta = read_meta(args.inputs)
    with PeakMemory() as memory:
        started = time.perf_counter()
        spark = spark_batch.spark_session(args.master, app_name="minzheng-city-bench", config={
            "spark.driver.memory": args.driver_memory,
            "spark.sql.shuffle.partitions": str(args.partitions or 64),
        })
        session_s = time.perf_counter() - started
        started = time.perf_counter()
        summary = spark_batch.spark_batch_run(inputs_dir=args.inputs, month=meta["month"], out_dir=args.out,
                                              spark=spark, partitions=args.partitions, chunk_rows=args.chunk_rows,
                                              shuffle=args.shuffle, log=print)
        total_s = time.perf_counter() - started
        spark.stop()
    t = summary.timings
    print(f"\nSpark {args.master}: {summary.persons:,} persons, {summary.households:,} households, "
          f"{summary.rows:,} decision rows, parameter set {summary.parameter_set[:12]}…")
    print(f"  start the session           {session_s:8.1f} s")
    laid_out = meta.get("layout") == "household_files" and not args.shuffle
    print(f"  path                        {'file pairs, no shuffle' if laid_out else 'repartition by household'}")
    print(f"  count the inputs (footers)   {t['read_s']:8.1f} s"
          + ("  (and the driver's one-file-per-household check)" if laid_out else ""))
    print(f"  {'evaluate, write' if laid_out else 'shuffle, evaluate, write'}{' ' * (12 if laid_out else 4)}"
          f"{t['evaluate_write_s']:8.1f} s")
    print(f"    of which in the engine    {t['engine_task_s']:8.1f} s  (summed over tasks; policy.evaluate_batch)")
    print(f"  summary of the decisions    {t['summary_s']:8.1f} s")
    print(f"  batch total                 {total_s:8.1f} s  -> {summary.persons / total_s:,.0f} persons/s, "
          f"{summary.rows / total_s:,.0f} decision rows/s")
    print(f"  peak memory (process tree)  {memory.peak / 2**30:8.2f} GiB")
    for pid, c in summary.program_counts.items():
        print(f"  {pid:32s} eligible {c['eligible']:>11,}  rows {c['rows']:>11,}  amount {c['amount_fen'] / 100:>18,.2f}")


if __name__ == "__main__":
    main()
