#!/usr/bin/env python3
"""Where a broker's CPU goes: compare.py's workloads, the broker's CPU per MB split by thread group.

Starts Samsa (`./samsa server --override ...`, this checkout) and Apache Kafka 4.3.1
(../shared/bench/reference-broker.sh) one at a time on a fresh data directory, alternating which goes first each
round, drives each with ../shared/bench/perf.sh (Kafka's ProducerPerformance / ConsumerPerformance: produce, consume,
latency, as compare.py), and reads every thread's CPU time (user + system, /proc/PID/task/TID/stat) before and after
each workload. Threads are grouped by name:

  network      Samsa samsa-network / samsa-acceptor; Kafka data-plane network threads and acceptor
  io           Samsa samsa-io (produce, fetch); Kafka's request handler pool (data-plane-kafka-request-handler)
  replication  followers fetching from leaders: Samsa samsa-replica-fetcher-*; Kafka ReplicaFetcherThread-*
  quorum       the metadata quorum: Samsa's Ratis threads and samsa-metadata-*; Kafka's raft and controller threads
  jit          C1 / C2 compiler threads
  gc           G1 (GC Thread, G1 Conc/Refine/Main/Service)
  other        everything else (coordinators, timers, flushers, JFR, ...)

and printed as CPU ms per MB moved (MB = 10^6 bytes of 1 KiB records, as compare.py) per group, with the total
and the total without the JIT (what a broker that has been running for minutes pays), and `kernel`: the system time
of all threads (system calls, loopback TCP, page-cache copies), the part no user-space change removes without
fewer system calls. Medians over the rounds.

--nodes 3 does the same on three-node clusters (cluster-compare.py's: every node broker and controller, RF=3 topics
with min.insync.replicas=2), summing the three brokers' threads. --jfr DIR also records each JVM with JFR's CPU-time
sampler (jdk.CPUTimeSample, JDK 25) during each workload, into DIR/SIDE-WORKLOAD-rROUND-PID.jfr, for
`jfr view cpu-time-hot-methods FILE` (the recorder's own thread shows up under "other").

Usage (from the repository root):
  samsa-bench/cpu-split.py [--rounds 3] [--records 500000] [--latency-records 40000] [--sides samsa,kafka]
                           [--workloads produce,consume,latency] [--port 29392] [--nodes 1|3] [--jfr DIR]
Only 127.0.0.1 is used.
"""
import argparse, importlib.util, os, re, signal, socket, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import ROOT, SHARED, log, tree_pids, wait_for_port, stop_broker  # noqa: E402

GROUPS = [
    ("network", re.compile(r"samsa-network|samsa-acceptor|network-thread|socket-acceptor")),
    ("io", re.compile(r"samsa-io|request-handler")),
    ("replication", re.compile(r"samsa-replica-fetcher|ReplicaFetcherThread")),
    ("quorum", re.compile(r"samsa-metadata|ratis|Ratis|raft|quorum-controller|-server-|Log(Appender|Worker)|"
                          r"StateMachineUpdater|FollowerState|LeaderState|grpc|Grpc")),
    ("jit", re.compile(r"CompilerThre")),
    ("gc", re.compile(r"^GC Thread|^G1 ")),
]


def java_thread_names(pid):
    """{tid: full Java thread name} of the JVMs in the tree (the kernel keeps only 15 characters of a name)."""
    names = {}
    for p in tree_pids(pid):
        try:
            with open(f"/proc/{p}/comm") as f:
                if f.read().strip() != "java":
                    continue  # jcmd would send a non-JVM process SIGQUIT
            res = subprocess.run(["jcmd", str(p), "Thread.print"], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            continue
        for m in re.finditer(r'^"(.*?)" .*?nid=(0x[0-9a-f]+|[0-9]+)', res.stdout, re.M):
            names[str(int(m.group(2), 0))] = m.group(1)
    return names


def thread_ticks(pid, names):
    """{(tid, name): (utime, stime) ticks} for every thread of the process tree rooted at pid."""
    out = {}
    for p in tree_pids(pid):
        try:
            tids = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for tid in tids:
            try:
                with open(f"/proc/{p}/task/{tid}/stat") as f:
                    raw = f.read()
                name = raw[raw.index("(") + 1:raw.rindex(")")]
                fields = raw.rsplit(")", 1)[1].split()
                out[(tid, names.get(tid, name))] = (int(fields[11]), int(fields[12]))
            except (OSError, ValueError, IndexError):
                pass
    return out


def group_of(name):
    return next((g for g, rx in GROUPS if rx.search(name)), "other")


def split(before, after):
    """CPU seconds per group between two thread_ticks snapshots (threads born in between count from zero), and the
    seconds of all threads spent in the kernel (system time: system calls, loopback TCP, page-cache copies)."""
    hz = os.sysconf("SC_CLK_TCK")
    groups = {g: 0.0 for g, _ in GROUPS}
    groups["other"] = 0.0
    kernel = 0.0
    for key, (user, system) in after.items():
        user0, system0 = before.get(key, (0, 0))
        groups[group_of(key[1])] += (user + system - user0 - system0) / hz
        kernel += (system - system0) / hz
    return groups, kernel


def start_broker(side, port, data_dir):
    env = dict(os.environ, PORT=str(port), DATA_DIR=data_dir)
    if side == "samsa":
        cmd = (f"exec ./samsa server --override listeners=PLAINTEXT://localhost:{port} "
               f"--override log.dirs={data_dir} --override http.listeners=http://127.0.0.1:0 "
               "--override group.initial.rebalance.delay.ms=0")  # as reference-broker.sh configures Kafka
    else:
        ref = os.path.join(SHARED, "reference-broker.sh")
        subprocess.run(["bash", "-c", f'"{ref}" "$PORT" "$DATA_DIR" --format-only'], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        cmd = f'exec "{ref}" "$PORT" "$DATA_DIR"'
    out = open(os.path.join(data_dir, "broker.log"), "w")
    proc = subprocess.Popen(["bash", "-c", cmd], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                            start_new_session=True)
    wait_for_port(port, proc)
    time.sleep(2)  # let the broker finish starting its internals, as compare.py
    return proc


def cluster_compare():
    """cluster-compare.py as a module (its file name is not an identifier)."""
    spec = importlib.util.spec_from_file_location("cluster_compare",
                                                  os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                               "cluster-compare.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def jvms(roots):
    return [p for root in roots for p in tree_pids(root) if os.path.exists(f"/proc/{p}/comm")
            and open(f"/proc/{p}/comm").read().strip() == "java"]


def jfr(pids, command):
    for p in pids:
        subprocess.run(["jcmd", str(p)] + command(p), capture_output=True, timeout=60)


def ticks_of(roots, names):
    out = {}
    for root in roots:
        out.update(thread_ticks(root, names))
    return out


def relabel(ticks, names):
    """A thread_ticks snapshot with every thread named from `names` where known."""
    return {(tid, names.get(tid, name)): t for (tid, name), t in ticks.items()}


def run_side(side, args, round_no):
    metrics = {}
    if args.nodes == 3:
        cc = cluster_compare()
        cluster = cc.STARTERS[side](args.port)
        cc.wait_for_ports(cc.ports(args.port).values(), cluster.procs)
        time.sleep(3)  # the quorum and the registrations settle, as cluster-compare.py
        roots, bootstrap, stop = [p.pid for p in cluster.procs], cluster.bootstrap, cluster.stop
        env = dict(os.environ, RF="3", MIN_ISR="2")
    else:
        data_dir = tempfile.mkdtemp(prefix=f"cpusplit-{side}-")
        proc = start_broker(side, args.port, data_dir)
        roots, bootstrap, env = [proc.pid], f"127.0.0.1:{args.port}", dict(os.environ)

        def stop():
            stop_broker(proc)
            subprocess.run(["rm", "-rf", data_dir])
    try:
        for w in args.workloads:
            n = args.latency_records if w == "latency" else args.records
            names = {}
            for root in roots:
                names.update(java_thread_names(root))
            if args.jfr:
                jfr(jvms(roots), lambda p: ["JFR.start", "name=split", "settings=profile",
                                            "jdk.CPUTimeSample#enabled=true"])
            before = ticks_of(roots, names)
            res = subprocess.run([os.path.join(SHARED, "perf.sh"), bootstrap, w, str(n)], env=env,
                                 capture_output=True, text=True, timeout=900)
            after = ticks_of(roots, names)
            for root in roots:  # threads started during the workload (replica fetchers): their full names too
                names.update(java_thread_names(root))
            before, after = relabel(before, names), relabel(after, names)
            if args.jfr:
                jfr(jvms(roots), lambda p: ["JFR.stop", "name=split",
                                            f"filename={args.jfr}/{side}-{w}-r{round_no + 1}-{p}.jfr"])
            line = res.stdout.strip().splitlines()[-1] if res.stdout.strip() else ""
            log(f"[{side}] {line or res.stderr[-2000:]}")
            kv = dict(re.findall(r"(\w+)=([0-9.]+)", line))
            if "records" not in kv or float(kv["records"]) <= 0:
                continue
            mb = float(kv["records"]) * 1024 / 1e6
            groups, kernel = split(before, after)
            log(f"[{side}] {w} CPU s by group: " + ", ".join(f"{g} {s:.2f}" for g, s in groups.items()))
            for g, s in groups.items():
                metrics[f"{w}.{g}"] = 1000 * s / mb
            metrics[f"{w}.total"] = 1000 * sum(groups.values()) / mb
            metrics[f"{w}.total_without_jit"] = 1000 * (sum(groups.values()) - groups["jit"]) / mb
            metrics[f"{w}.kernel"] = 1000 * kernel / mb
            if "mb_per_s" in kv:
                metrics[f"{w}.mb_per_s"] = float(kv["mb_per_s"])
    finally:
        stop()
    return metrics


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--records", type=int, default=500000)
    ap.add_argument("--latency-records", type=int, default=40000)
    ap.add_argument("--sides", default="samsa,kafka")
    ap.add_argument("--workloads", default="produce,consume,latency")
    ap.add_argument("--port", type=int, default=29392, help="with --nodes 3: the first of six ports")
    ap.add_argument("--nodes", type=int, choices=(1, 3), default=1)
    ap.add_argument("--jfr", help="a directory for JFR CPU-time recordings of each workload")
    args = ap.parse_args()
    if args.jfr:
        os.makedirs(args.jfr, exist_ok=True)
    args.workloads = args.workloads.split(",")
    sides = args.sides.split(",")
    subprocess.run([os.path.join(SHARED, "kafka-dist.sh")], check=True, stdout=subprocess.DEVNULL)
    results = {s: [] for s in sides}
    for r in range(args.rounds):
        for side in (sides if r % 2 == 0 else sides[::-1]):
            try:
                results[side].append(run_side(side, args, r))
            except Exception as e:  # a failed side is reported, not fatal to the table
                log(f"[{side}] round {r + 1} failed: {e}")
    keys = [f"{w}.{m}" for w in args.workloads
            for m in ["mb_per_s"] + [g for g, _ in GROUPS] + ["other", "total", "total_without_jit", "kernel"]]
    print(f"{'CPU ms per MB (mb_per_s: MB/s)':<34}" + "".join(f"{s:>12}" for s in sides)
          + (f"{'ratio':>9}" if len(sides) == 2 else ""))
    for k in keys:
        vals = [statistics.median(v) if v else float("nan")
                for v in ([m[k] for m in results[s] if k in m] for s in sides)]
        if all(v != v for v in vals):
            continue
        ratio = f"{vals[0] / vals[1]:>9.2f}" if len(vals) == 2 and vals[1] else ""
        print(f"{k:<34}" + "".join(f"{v:>12.2f}" for v in vals) + ratio)


if __name__ == "__main__":
    main()
