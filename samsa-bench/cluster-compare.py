#!/usr/bin/env python3
"""Three-node benchmark: Samsa against Apache Kafka 4.3.1, both as three nodes on loopback, side by side.

Each round starts a fresh three-node Samsa cluster (three `./samsa server --config nodeN.properties` processes,
every node broker and controller) and a fresh three-node Kafka cluster (../shared/bench/reference-cluster.sh),
one at a time, alternating which goes first, and drives each with the same client tools
(../shared/bench/perf.sh, Kafka's ProducerPerformance and ConsumerPerformance) on RF=3, min.insync.replicas=2
topics with acks=all. Prints per-metric medians and the Samsa/Kafka ratio.

Failover (--failover N, default 5): on a fresh cluster per side, an idempotent acks=all producer
(cluster/FailoverProbe.java) writes to an RF=3 partition every 10 ms, one write at a time; the partition leader
is killed with kill -9 and the time to the acknowledgement of the first write sent after the kill is measured; the node is restarted, the ISR awaited, and
this repeated N times. Prints the median (ms) per side.

Controlled shutdown (--shutdown N, default 3): the same probe, the partition leader stopped with SIGTERM (both
brokers then move their leaderships away before exiting); prints the stop time, the longest gap between
acknowledgements around it, the sends the producer retried and the errors the application saw (medians).

Usage (from the repository root):
  samsa-bench/cluster-compare.py [--rounds 3] [--records 500000] [--latency-records 40000]
                                 [--workloads produce,consume,latency] [--failover 5] [--shutdown 3]
                                 [--base-port 39092]
Only 127.0.0.1 is used. Samsa is built first if needed (./samsa). Needs ../shared/bench (next to the repository).
"""
import argparse, os, re, signal, socket, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import ROOT, SHARED, log, kafka_cp, tree_pids, cpu_s  # noqa: E402

PROBE = os.path.join(ROOT, "samsa-bench", "cluster", "FailoverProbe.java")


def ports(base):
    """Node i (1..3): client port base+2(i-1), controller port one above (as reference-cluster.sh)."""
    return {i: base + 2 * (i - 1) for i in (1, 2, 3)}


def wait_for_ports(ps, procs, timeout_s=120):
    start = time.monotonic()
    for p in ps:
        while True:
            if any(proc.poll() is not None for proc in procs):
                raise RuntimeError("a node exited before listening")
            try:
                with socket.create_connection(("127.0.0.1", p), timeout=0.2):
                    break
            except OSError:
                if time.monotonic() - start > timeout_s:
                    raise RuntimeError(f"port {p} not listening within {timeout_s}s")
                time.sleep(0.1)
    return time.monotonic() - start


def cmdline(pid):
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        return [a.decode() for a in f.read().split(b"\0") if a]


class Cluster:
    """A running three-node cluster: node id -> pid of its JVM, restartable with the same command line."""

    def __init__(self, name, base, data_dir):
        self.name, self.base, self.dir = name, base, data_dir
        self.procs = []          # top-level processes we started (process-group leaders)
        self.relaunched = []     # JVMs restarted after a kill

    @property
    def bootstrap(self):
        return ",".join(f"127.0.0.1:{p}" for p in ports(self.base).values())

    def node_pid(self, node):
        """The JVM of node `node`: the java process whose command line names its config file."""
        marker = f"node{node}/server.properties" if self.name == "kafka" else f"node{node}.properties"
        for root in self.procs + self.relaunched:
            for p in tree_pids(root.pid):
                try:
                    args = cmdline(p)
                except OSError:
                    continue
                if args and args[0].endswith("java") and any(a.endswith(marker) for a in args):
                    return p
        raise RuntimeError(f"no JVM found for {self.name} node {node}")

    def kill9_and_relaunch_later(self, node):
        pid = self.node_pid(node)
        args, cwd = cmdline(pid), os.readlink(f"/proc/{pid}/cwd")
        os.kill(pid, signal.SIGKILL)
        return lambda: self.relaunched.append(subprocess.Popen(
            args, cwd=cwd, stdout=open(os.path.join(self.dir, f"relaunch-{node}.log"), "a"),
            stderr=subprocess.STDOUT, start_new_session=True))

    def stop(self):
        for proc in self.relaunched + self.procs:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for proc in self.relaunched + self.procs:
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL); proc.wait()
        subprocess.run(["rm", "-rf", self.dir])


def start_samsa(base):
    data = tempfile.mkdtemp(prefix="bench-samsa-cluster-")
    c = Cluster("samsa", base, data)
    ps = ports(base)
    voters = ",".join(f"{i}@127.0.0.1:{p + 1}" for i, p in ps.items())
    for i, p in ps.items():
        conf = os.path.join(data, f"node{i}.properties")
        with open(conf, "w") as f:
            f.write(f"""process.roles=broker,controller
node.id={i}
controller.quorum.voters={voters}
listeners=PLAINTEXT://127.0.0.1:{p},CONTROLLER://127.0.0.1:{p + 1}
advertised.listeners=PLAINTEXT://127.0.0.1:{p}
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs={data}/node{i}/data
offsets.topic.replication.factor=3
default.replication.factor=3
min.insync.replicas=2
group.initial.rebalance.delay.ms=0
""")
        out = open(os.path.join(data, f"node{i}.log"), "w")
        c.procs.append(subprocess.Popen([os.path.join(ROOT, "samsa"), "server", "--config", conf], cwd=ROOT,
                                        stdout=out, stderr=subprocess.STDOUT, start_new_session=True))
    return c


def start_kafka(base):
    data = tempfile.mkdtemp(prefix="bench-kafka-cluster-")
    c = Cluster("kafka", base, data)
    out = open(os.path.join(data, "cluster.log"), "w")
    c.procs.append(subprocess.Popen([os.path.join(SHARED, "reference-cluster.sh"), str(base), data],
                                    stdout=out, stderr=subprocess.STDOUT, start_new_session=True))
    return c


STARTERS = {"samsa": start_samsa, "kafka": start_kafka}


def with_cluster(name, base, body):
    c = STARTERS[name](base)
    try:
        c.startup_s = wait_for_ports(ports(base).values(), c.procs)
        time.sleep(3)  # let the quorum and the brokers' registrations settle
        return body(c)
    finally:
        c.stop()


def perf(c, workload, n):
    env = dict(os.environ, RF="3", MIN_ISR="2")
    res = subprocess.run([os.path.join(SHARED, "perf.sh"), c.bootstrap, workload, str(n)], env=env,
                         capture_output=True, text=True, timeout=1200)
    line = res.stdout.strip().splitlines()[-1] if res.stdout.strip() else ""
    log(f"[{c.name}] {line or res.stderr[-2000:]}")
    return dict(re.findall(r"(\w+)=([0-9.]+)", line))


def run_workloads(c, args):
    metrics = {"startup_s": c.startup_s}
    pids = [p.pid for p in c.procs]
    for w in args.workloads:
        n = args.latency_records if w == "latency" else args.records
        before = cpu_s(*pids)
        kv = perf(c, w, n)
        for k in ("mb_per_s", "p50_ms", "p99_ms", "p999_ms"):
            if k in kv:
                metrics[f"{w}.{k}"] = float(kv[k])
        if "records" in kv and float(kv["records"]) > 0:
            metrics[f"{w}.cpu_ms_per_mb"] = 1000 * (cpu_s(*pids) - before) / (float(kv["records"]) * 1024 / 1e6)
    return metrics


def describe(c, cp, topic):
    out = subprocess.run(["java", "-cp", cp, "org.apache.kafka.tools.TopicCommand", "--bootstrap-server",
                          c.bootstrap, "--describe", "--topic", topic], capture_output=True, text=True).stdout
    m = re.search(r"Partition: 0\s+Leader: (-?\d+)\s+Replicas: ([\d,]+)\s+Isr: ([\d,]*)", out)
    return (int(m.group(1)), m.group(3).split(",") if m.group(3) else []) if m else (-1, [])


def failover(c, args, cp):
    topic = "bench-failover"
    subprocess.run(["java", "-cp", cp, "org.apache.kafka.tools.TopicCommand", "--bootstrap-server", c.bootstrap,
                    "--create", "--if-not-exists", "--topic", topic, "--partitions", "1", "--replication-factor", "3",
                    "--config", "min.insync.replicas=2"], capture_output=True, text=True, check=True)
    probe_out = open(os.path.join(c.dir, "probe.log"), "w+")
    probe = subprocess.Popen(["java", "-cp", cp, PROBE, c.bootstrap, topic], stdout=probe_out,
                             stderr=subprocess.STDOUT, start_new_session=True)
    times = []
    try:
        for i in range(args.failover):
            deadline = time.monotonic() + 120
            while True:  # a leader, the full ISR, and acks flowing
                leader, isr = describe(c, cp, topic)
                probe_out.seek(0)
                if leader > 0 and len(isr) == 3 and "ack " in probe_out.read():
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"no leader with a full ISR (leader {leader}, isr {isr})")
                time.sleep(0.5)
            time.sleep(1)
            killed_at = time.time() * 1000
            relaunch = c.kill9_and_relaunch_later(leader)
            first = None
            deadline = time.monotonic() + 120
            while first is None and time.monotonic() < deadline:
                time.sleep(0.05)
                probe_out.seek(0)
                acks = [l.split() for l in probe_out.read().splitlines() if l.startswith("ack ")]
                later = [int(a[2]) for a in acks if len(a) == 3 and int(a[1]) > killed_at]
                first = later[0] if later else None
            relaunch()
            if first is None:
                log(f"[{c.name}] failover {i + 1}: no acknowledged write within 120 s of killing node {leader}")
                continue
            times.append(first - killed_at)
            log(f"[{c.name}] failover {i + 1}: killed leader {leader}, next ack after {first - killed_at:.0f} ms")
    finally:
        os.killpg(probe.pid, signal.SIGKILL); probe.wait()
    return {"failover_ms": statistics.median(times)} if times else {}


def controlled_shutdown(c, args, cp):
    """Stops the partition leader cleanly (SIGTERM: Kafka's and Samsa's controlled shutdown) while the probe writes:
    how long the node takes to stop, the longest gap between acknowledgements around it, and the errors the producer
    saw (retried sends, and failures surfaced to the application). Median per side over --shutdown stops."""
    topic = "bench-shutdown"
    subprocess.run(["java", "-cp", cp, "org.apache.kafka.tools.TopicCommand", "--bootstrap-server", c.bootstrap,
                    "--create", "--if-not-exists", "--topic", topic, "--partitions", "1", "--replication-factor", "3",
                    "--config", "min.insync.replicas=2"], capture_output=True, text=True, check=True)
    probe_out = open(os.path.join(c.dir, "shutdown-probe.log"), "w+")
    probe = subprocess.Popen(["java", "-cp", cp, PROBE, c.bootstrap, topic], stdout=probe_out,
                             stderr=subprocess.STDOUT, start_new_session=True)
    stops, gaps, retries, errors = [], [], [], []

    def lines():
        probe_out.seek(0)
        return [l.split() for l in probe_out.read().splitlines()]

    try:
        for i in range(args.shutdown):
            deadline = time.monotonic() + 120
            while True:
                leader, isr = describe(c, cp, topic)
                if leader > 0 and len(isr) == 3 and any(l[0] == "ack" for l in lines() if l):
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"no leader with a full ISR (leader {leader}, isr {isr})")
                time.sleep(0.5)
            time.sleep(2)
            pid = c.node_pid(leader)
            cmd, cwd = cmdline(pid), os.readlink(f"/proc/{pid}/cwd")
            t0 = time.time() * 1000
            os.kill(pid, signal.SIGTERM)
            while os.path.exists(f"/proc/{pid}") and open(f"/proc/{pid}/stat").read().split(")")[1].split()[0] != "Z":
                if time.time() * 1000 - t0 > 120_000:
                    break
                time.sleep(0.02)
            t1 = time.time() * 1000
            time.sleep(3)
            ls = [l for l in lines() if l]
            acks = sorted(int(l[2]) for l in ls if l[0] == "ack" and len(l) == 3 and t0 - 2000 <= int(l[2]) <= t1 + 3000)
            gap = max((b - a for a, b in zip(acks, acks[1:])), default=float("nan"))
            r = [int(l[2]) for l in ls if l[0] == "retries" and len(l) == 3]
            rt = [(int(l[1]), int(l[2])) for l in ls if l[0] == "retries" and len(l) == 3]
            before = max((n for t, n in rt if t <= t0), default=0)
            after = max((n for t, n in rt if t <= t1 + 3000), default=before)
            errs = sum(1 for l in ls if l[0] == "err" and t0 <= int(l[1]) <= t1 + 3000)
            stops.append(t1 - t0); gaps.append(gap); retries.append(after - before); errors.append(errs)
            log(f"[{c.name}] controlled shutdown {i + 1}: node {leader} stopped in {t1 - t0:.0f} ms, longest ack gap "
                f"{gap:.0f} ms, {after - before} retried sends, {errs} errors to the application")
            c.relaunched.append(subprocess.Popen(cmd, cwd=cwd, stdout=open(os.path.join(c.dir, f"relaunch-{leader}.log"),
                                                 "a"), stderr=subprocess.STDOUT, start_new_session=True))
    finally:
        os.killpg(probe.pid, signal.SIGKILL); probe.wait()
    if not stops:
        return {}
    return {"shutdown.stop_ms": statistics.median(stops), "shutdown.max_ack_gap_ms": statistics.median(gaps),
            "shutdown.retried_sends": statistics.median(retries), "shutdown.app_errors": statistics.median(errors)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--records", type=int, default=500000)
    ap.add_argument("--latency-records", type=int, default=40000)
    ap.add_argument("--workloads", default="produce,consume,latency", help="comma-separated; empty: none")
    ap.add_argument("--failover", type=int, default=5, help="kills per side (0: no failover measurement)")
    ap.add_argument("--shutdown", type=int, default=3, help="controlled shutdowns per side (0: none)")
    ap.add_argument("--sides", default="samsa,kafka", help="which clusters to run (e.g. kafka alone, to check)")
    ap.add_argument("--base-port", type=int, default=39092)
    args = ap.parse_args()
    args.workloads = [w for w in args.workloads.split(",") if w]
    sides = args.sides.split(",")
    cp = kafka_cp()
    if "samsa" in sides:
        subprocess.run([os.path.join(ROOT, "samsa"), "version"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    results = {s: [] for s in sides}
    for r in range(args.rounds if args.workloads else 0):
        for name in (sides if r % 2 == 0 else sides[::-1]):
            try:
                results[name].append(with_cluster(name, args.base_port, lambda c: run_workloads(c, args)))
            except Exception as e:
                log(f"[{name}] round {r + 1} failed: {e}")
    if args.failover > 0:
        for name in sides:
            try:
                results[name].append(with_cluster(name, args.base_port, lambda c: failover(c, args, cp)))
            except Exception as e:
                log(f"[{name}] failover failed: {e}")
    if args.shutdown > 0:
        for name in sides:
            try:
                results[name].append(with_cluster(name, args.base_port, lambda c: controlled_shutdown(c, args, cp)))
            except Exception as e:
                log(f"[{name}] controlled shutdown failed: {e}")
    keys = sorted({k for side in results.values() for m in side for k in m})
    print(f"{'metric':<26}{'samsa':>12}{'kafka':>12}{'ratio s/k':>11}")
    for k in keys:
        s = [m[k] for m in results.get("samsa", []) if k in m]
        ka = [m[k] for m in results.get("kafka", []) if k in m]
        sm = statistics.median(s) if s else float("nan")
        km = statistics.median(ka) if ka else float("nan")
        ratio = sm / km if s and ka and km else float("nan")
        print(f"{k:<26}{sm:>12.2f}{km:>12.2f}{ratio:>11.2f}")


if __name__ == "__main__":
    main()
