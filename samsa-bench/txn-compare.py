#!/usr/bin/env python3
"""Transactions benchmark: Samsa against Apache Kafka 4.3.1, one single-node broker at a time, alternating.

Each round starts a fresh Samsa (`./samsa server --override listeners=... --override log.dirs=...`, this checkout,
built by the launcher if stale) and a fresh Kafka 4.3.1 (../shared/bench/reference-broker.sh: KRaft, one node,
storage formatted untimed before the start), alternating which goes first so that both see the same background
load, and drives each with txn/TxnBench.java (kafka-clients 4.3.1, compiled once per run):

  txn1000   one transactional producer, --records records of 1 KiB to a 6-partition topic, a commit every 1,000
  txn10     the same with a commit every 10 records (--small-records records): commit-bound
  latency   a transactional producer at --rate records/s committing every --commit-ms ms (time-based, as Kafka
            Streams under exactly_once_v2), read by a read_committed and a read_uncommitted consumer; latency =
            arrival minus create timestamp; added_* = read_committed minus read_uncommitted, per percentile;
            visible_* = per transaction, commitTransaction() called to its first record read committed

For each workload the broker's CPU time (user + system, all threads, read from /proc before and after, as
../shared/bench/compare.py does) is reported per MB written (throughput) or per second (latency). Prints, per
metric, the median over the rounds of each side, the Samsa/Kafka ratio and the per-round values.

Usage (from the repository root):
  samsa-bench/txn-compare.py [--rounds 3] [--records 200000] [--small-records 15000] [--latency-seconds 20]
                             [--rate 2000] [--commit-ms 100] [--workloads txn1000,txn10,latency]
                             [--sides samsa,kafka[,kafka-tv1]] [--port 29192] [--jfr DIR]
--sides kafka-tvN adds Kafka 4.3.1 formatted with --feature transaction.version=N (0: KIP-98 transactions, 1:
flexible transaction log records, 2: Transactions V2, KIP-890 part 2, the default of 4.3.1); the ratio column is
always samsa / kafka (the default), other sides get a column of their medians.
--jfr DIR records a JFR profile (settings=profile) of each broker over its whole run into DIR/<side>-<round>.jfr
(attached with jcmd once the broker listens). Only 127.0.0.1 is used. Needs ../shared/bench (next to the
repository) and a JDK 21+ (`java`, `javac`, `jcmd` on the PATH).
"""
import argparse, os, re, shutil, signal, socket, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import ROOT, SHARED, log, tree_pids, cpu_s, java_pid, wait_for_port, stop_broker  # noqa: E402

BENCH_SRC = os.path.join(ROOT, "samsa-bench", "txn", "TxnBench.java")
# metric suffixes taken from a workload's summary line
THROUGHPUT_KEYS = ("mb_per_s", "records_per_s", "txn_mean_ms", "commit_mean_ms", "commit_p50_ms", "commit_p99_ms",
                   "first_ack_mean_ms", "first_ack_p50_ms", "first_ack_p99_ms")
LATENCY_KEYS = ("rc_p50_ms", "rc_p99_ms", "rc_p999_ms", "ru_p50_ms", "ru_p99_ms", "ru_p999_ms",
                "added_p50_ms", "added_p99_ms", "added_mean_ms", "visible_p50_ms", "visible_p99_ms", "visible_max_ms")


def start_broker(side, port, data_dir, kafka_cp):
    out = open(os.path.join(data_dir, "broker.log"), "w")
    if side == "samsa":
        cmd = [os.path.join(ROOT, "samsa"), "server", "--override", f"listeners=PLAINTEXT://127.0.0.1:{port}",
               "--override", f"log.dirs={data_dir}/data", "--override", "group.initial.rebalance.delay.ms=0"]
    else:
        ref = os.path.join(SHARED, "reference-broker.sh")
        subprocess.run([ref, str(port), data_dir, "--format-only"], check=True, stdout=subprocess.DEVNULL)
        tv = re.fullmatch(r"kafka-tv(\d)", side)
        if tv:  # reformat with that transaction.version (reference-broker.sh then finds the directory formatted)
            shutil.rmtree(os.path.join(data_dir, "data"))
            subprocess.run(["java", "-cp", kafka_cp, "kafka.tools.StorageTool", "format", "-t", "txnbenchcluster0000001",
                            "-c", os.path.join(data_dir, "server.properties"), "--feature",
                            f"transaction.version={tv.group(1)}"], check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        cmd = [ref, str(port), data_dir]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def bench(classpath, mode, bootstrap, *opts):
    res = subprocess.run(["java", "-Xmx1g", "-cp", classpath, "TxnBench", mode, "--bootstrap", bootstrap,
                          *map(str, opts)], capture_output=True, text=True, timeout=900)
    lines = res.stdout.strip().splitlines()
    if res.returncode != 0 or not lines:
        raise RuntimeError(f"TxnBench {mode} failed ({res.returncode}): {res.stderr[-2000:]}")
    return lines[-1], dict(re.findall(r"(\w+)=(-?[0-9.]+)", lines[-1]))


def run_side(side, rnd, args, classpath):
    data_dir = tempfile.mkdtemp(prefix=f"bench-txn-{side}-")
    proc = start_broker(side, args.port, data_dir, args.kafka_cp)
    bootstrap = f"127.0.0.1:{args.port}"
    metrics, jfr_pid = {}, None
    try:
        wait_for_port(args.port, proc)
        time.sleep(2)  # let the broker finish starting its internals
        if args.jfr:
            jfr_pid = java_pid(proc.pid)
            subprocess.run(["jcmd", str(jfr_pid), "JFR.start", "name=txnbench", "settings=profile",
                            f"filename={os.path.join(args.jfr, f'{side}-{rnd + 1}.jfr')}"],
                           check=True, stdout=subprocess.DEVNULL)
        for w in args.workloads:
            before, t0 = cpu_s(proc.pid), time.monotonic()
            if w == "latency":
                line, kv = bench(classpath, "latency", bootstrap, "--seconds", args.latency_seconds,
                                 "--warmup-s", 3, "--rate", args.rate, "--commit-ms", args.commit_ms,
                                 "--topic", f"bench-txn-lat-{rnd}")
            else:
                txn = int(w[3:])
                n = args.records if txn >= 100 else args.small_records
                line, kv = bench(classpath, "throughput", bootstrap, "--records", n, "--txn-records", txn,
                                 "--partitions", 6, "--topic", f"bench-{w}")
            cpu, wall = cpu_s(proc.pid) - before, time.monotonic() - t0
            log(f"[{side} round {rnd + 1}] {line} broker_cpu_s={cpu:.1f}")
            for k in (LATENCY_KEYS if w == "latency" else THROUGHPUT_KEYS):
                if k in kv:
                    metrics[f"{w}.{k}"] = float(kv[k])
            if w == "latency":
                metrics[f"{w}.broker_cpu_pct"] = 100 * cpu / wall
            elif "records" in kv:
                metrics[f"{w}.broker_cpu_ms_per_mb"] = 1000 * cpu / (float(kv["records"]) * 1024 / 1e6)
            metrics["transaction_version"] = float(kv.get("transaction_version", -1))
        if jfr_pid:
            subprocess.run(["jcmd", str(jfr_pid), "JFR.stop", "name=txnbench"], stdout=subprocess.DEVNULL)
    finally:
        stop_broker(proc)
        shutil.rmtree(data_dir, ignore_errors=True)
    return metrics


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--records", type=int, default=200000, help="records of the txn1000 workload")
    ap.add_argument("--small-records", type=int, default=15000, help="records of the txn10 workload")
    ap.add_argument("--latency-seconds", type=int, default=20, help="measured seconds (after a 3 s warm-up)")
    ap.add_argument("--rate", type=int, default=2000)
    ap.add_argument("--commit-ms", type=int, default=100)
    ap.add_argument("--workloads", default="txn1000,txn10,latency", help="comma-separated")
    ap.add_argument("--sides", default="samsa,kafka")
    ap.add_argument("--port", type=int, default=29192, help="client port (the controller of Kafka: one above); below the ephemeral range")
    ap.add_argument("--jfr", help="directory for a JFR profile of each broker")
    args = ap.parse_args()
    args.workloads = [w for w in args.workloads.split(",") if w]
    for w in args.workloads:
        if w != "latency" and not re.fullmatch(r"txn[1-9][0-9]*", w):
            ap.error(f"unknown workload {w} (txnN or latency)")
    if args.jfr:
        args.jfr = os.path.abspath(args.jfr); os.makedirs(args.jfr, exist_ok=True)
    sides = args.sides.split(",")
    for side in sides:
        if side not in ("samsa", "kafka") and not re.fullmatch(r"kafka-tv[0-2]", side):
            ap.error(f"unknown side {side} (samsa, kafka, kafka-tv0|1|2)")
    args.kafka_cp = kafka_cp = subprocess.run([os.path.join(SHARED, "kafka-dist.sh")], check=True,
                                              capture_output=True, text=True).stdout.strip()
    if "samsa" in sides:  # build now (if stale), not inside the first timed start
        subprocess.run([os.path.join(ROOT, "samsa"), "version"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    classes = tempfile.mkdtemp(prefix="txnbench-classes-")
    try:
        subprocess.run(["javac", "-nowarn", "-d", classes, "-cp", kafka_cp, BENCH_SRC], check=True)
        classpath = f"{classes}:{kafka_cp}"
        results = {s: [] for s in sides}
        for r in range(args.rounds):
            for side in sides[r % len(sides):] + sides[:r % len(sides)]:  # rotate which side goes first
                try:
                    results[side].append(run_side(side, r, args, classpath))
                except Exception as e:  # a failed side is reported, not fatal to the table
                    log(f"[{side}] round {r + 1} failed: {e}")
    finally:
        shutil.rmtree(classes, ignore_errors=True)
    keys = sorted({k for side in results.values() for m in side for k in m})

    def median(side, k):
        vs = [m[k] for m in results.get(side, []) if k in m]
        return (statistics.median(vs) if vs else float("nan")), vs

    others = [s for s in sides if s not in ("samsa", "kafka")]
    print(f"{'metric':<28}{'samsa':>10}{'kafka':>10}{'ratio s/k':>11}" + "".join(f"{s:>12}" for s in others)
          + "   rounds (" + " | ".join(sides) + ")")
    for k in keys:
        (sm, s), (km, ka) = median("samsa", k), median("kafka", k)
        ratio = sm / km if s and ka and km and k != "transaction_version" else float("nan")
        per_round = " | ".join(" / ".join(f"{v:.1f}" for v in median(side, k)[1]) for side in sides)
        print(f"{k:<28}{sm:>10.2f}{km:>10.2f}{ratio:>11.2f}" + "".join(f"{median(o, k)[0]:>12.2f}" for o in others)
              + f"   {per_round}")

if __name__ == "__main__":
    main()
