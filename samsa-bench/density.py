#!/usr/bin/env python3
"""Partition density: Samsa against Apache Kafka 4.3.1, one single-node broker with 10,000 partitions, alternating.

Each round starts a fresh Samsa (`./samsa server --override listeners=... --override log.dirs=...`, this checkout,
built by the launcher if stale) and a fresh Kafka 4.3.1 (../shared/bench/reference-broker.sh: KRaft, one node,
storage formatted untimed before the start), one at a time, alternating which goes first, and on each:

  1. creates one topic of --partitions partitions (RF 1) with Kafka's TopicCommand: the command's wall time
     (create_s, including the tool's JVM start) and the time until every partition has a leader in a Metadata
     response and a directory on disk (create_ready_s);
  2. writes --records records of 1 KiB with Kafka's ProducerPerformance (acks=all, linger.ms=5, the default
     batch.size and partitioner, which spread the records over all partitions): MB/s, p99 ms;
  3. reads them all with ConsumerPerformance in a fresh consumer group: MB/s;
  4. takes the broker's resident memory (VmRSS of the process tree), open files (/proc/PID/fd), memory mappings
     (lines of /proc/PID/maps) when idle, after the create, after produce and after consume, and the broker's CPU
     (utime + stime of all its threads, /proc) per MB produced and consumed;
  5. stops it with SIGTERM (stop_s: until the process exits), starts it again on the same data directory and takes
     the start-up: launch to listening port (restart.port_s), to a Metadata response that names every partition
     with a leader (restart.ready_s), and, for Samsa, to its "Samsa started" log line (restart.log_s; Kafka's
     reference broker runs without a logging binding), then the same memory / files / mappings, and stops it.
  The live Java heap (the total of `jcmd PID GC.class_histogram`, which runs a full GC) is taken after the consume
  (just before the stop) and after the restart (just before the second stop).

Both JVMs keep their launchers' heap settings (Samsa: -Xms512m -Xmx1g, Kafka: -Xms1g -Xmx1g, both G1); both
inherit this process's open-file limit (`ulimit -n`, printed). Prints, per metric, the median over the rounds of
each side and the Samsa/Kafka ratio.

Usage (from the repository root):
  samsa-bench/density.py [--rounds 1] [--partitions 10000] [--records 300000] [--sides samsa,kafka]
                         [--port 29392] [--keep DIR]
Only 127.0.0.1 is used (the port and the one above it). Needs ../shared/bench (next to the repository) and a
JDK 21+ on the PATH.
"""
import argparse, os, re, resource, signal, socket, statistics, struct, subprocess, sys, tempfile, time, shutil

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import ROOT, SHARED, log, kafka_cp, tree_pids, java_pid, cpu_s  # noqa: E402

TOPIC = "density"
# the broker's "started" line (Kafka's reference broker runs without an SLF4J binding: it logs nothing)
STARTED = {"samsa": re.compile(r"Samsa started")}


def footprint(pid):
    """RSS of the process tree (MiB; rss_file_mb: the part that is mapped files, e.g. index pages), open files and
    memory mappings of the JVM."""
    rss = rss_file = 0
    for p in tree_pids(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        rss += int(line.split()[1])
                    elif line.startswith("RssFile:"):
                        rss_file += int(line.split()[1])
        except OSError:
            pass
    jvm = java_pid(pid)
    try:
        fds = len(os.listdir(f"/proc/{jvm}/fd"))
        with open(f"/proc/{jvm}/maps") as f:
            maps = sum(1 for _ in f)
    except OSError:
        fds = maps = float("nan")
    return {"rss_mb": rss / 1024, "rss_file_mb": rss_file / 1024, "fds": fds, "mmaps": maps}


def live_heap_mb(pid):
    """Live Java heap (MiB): the total of `jcmd PID GC.class_histogram`, which runs a full GC first."""
    res = subprocess.run(["jcmd", str(java_pid(pid)), "GC.class_histogram"], capture_output=True, text=True,
                         timeout=300)
    m = re.search(r"^Total\s+\d+\s+(\d+)", res.stdout, re.M)
    return int(m.group(1)) / 2**20 if m else float("nan")


# --- a minimal Metadata v4 client (non-flexible encoding): is every partition of the topic led? ---

def _metadata_led(port, topic, timeout=5.0):
    """Number of partitions of `topic` with no error and a leader, or -1 when the broker does not answer."""
    t = topic.encode()
    body = struct.pack(">i", 1) + struct.pack(">h", len(t)) + t + b"\x00"  # topics=[topic], allow_auto_create=false
    cid = b"density"
    req = struct.pack(">hhih", 3, 4, 7, len(cid)) + cid + body
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(struct.pack(">i", len(req)) + req)
            size = struct.unpack(">i", _recv(s, 4))[0]
            buf = _recv(s, size)
    except (OSError, struct.error):
        return -1
    pos = 8  # correlation id, throttle time

    def i16():
        nonlocal pos; v = struct.unpack_from(">h", buf, pos)[0]; pos += 2; return v

    def i32():
        nonlocal pos; v = struct.unpack_from(">i", buf, pos)[0]; pos += 4; return v

    def string():
        nonlocal pos; n = i16(); v = buf[pos:pos + max(n, 0)]; pos += max(n, 0); return v

    for _ in range(i32()):  # brokers: node id, host, port, rack
        i32(); string(); i32(); string()
    string(); i32()  # cluster id, controller id
    led = 0
    for _ in range(i32()):
        err, name = i16(), string(); pos += 1  # is_internal
        for _ in range(i32()):
            perr, _p, leader = i16(), i32(), i32()
            for _arr in range(2):  # replicas, isr
                n = i32(); pos += 4 * n
            if err == 0 and perr == 0 and leader >= 0 and name == t:
                led += 1
    return led


def _recv(s, n):
    out = b""
    while len(out) < n:
        chunk = s.recv(n - len(out))
        if not chunk:
            raise OSError("closed")
        out += chunk
    return out


def partition_dirs(data_dir, topic):
    pat = re.compile(re.escape(topic) + r"-\d+$")
    try:
        return sum(1 for n in os.listdir(data_dir) if pat.match(n))
    except OSError:
        return 0


class Broker:
    def __init__(self, side, port, data_dir, args):
        self.side, self.port, self.dir, self.args = side, port, data_dir, args
        self.logs = os.path.join(data_dir, "data")
        self.proc, self.out = None, None

    def start(self, n):
        """Launches the broker; returns the seconds to its port, to a Metadata answer naming `n` led partitions of
        the topic (0: any answer) and to its "started" log line (nan when not seen within the wait)."""
        path = os.path.join(self.dir, f"broker-{self.side}-{len(os.listdir(self.dir))}.log")
        self.out = open(path, "w")
        if self.side == "samsa":
            cmd = [os.path.join(ROOT, "samsa"), "server", "--override", f"listeners=PLAINTEXT://127.0.0.1:{self.port}",
                   "--override", f"log.dirs={self.logs}", "--override", "http.listeners=http://127.0.0.1:0",
                   "--override", "group.initial.rebalance.delay.ms=0"]
        else:
            cmd = [os.path.join(SHARED, "reference-broker.sh"), str(self.port), self.dir]
        t0 = time.monotonic()
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=self.out, stderr=subprocess.STDOUT, start_new_session=True)
        port_s = ready_s = log_s = None
        started = STARTED.get(self.side)
        deadline = t0 + self.args.start_timeout
        while time.monotonic() < deadline and (port_s is None or ready_s is None or (started and log_s is None)):
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.side} exited with {self.proc.returncode} (see {path})")
            now = time.monotonic() - t0
            if started and log_s is None:
                with open(path, errors="replace") as f:
                    if started.search(f.read()):
                        log_s = now
            if port_s is None:
                try:
                    with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                        port_s = time.monotonic() - t0
                except OSError:
                    pass
            if port_s is not None and ready_s is None:
                led = _metadata_led(self.port, TOPIC)
                if led >= n and led >= 0:
                    ready_s = time.monotonic() - t0
            time.sleep(0.05)
        if port_s is None or ready_s is None:
            raise RuntimeError(f"{self.side} not ready within {self.args.start_timeout}s (port {port_s}, see {path})")
        return port_s, ready_s, (log_s if log_s is not None else float("nan"))

    def stop(self, timeout=300):
        """SIGTERM; seconds until the process exited (SIGKILL after `timeout`)."""
        if self.proc is None or self.proc.poll() is not None:
            return float("nan")
        t0 = time.monotonic()
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout)
            took = time.monotonic() - t0
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL); self.proc.wait(); took = float("nan")
        self.out.close()
        return took


def tool(cp, cls, *args, timeout=1800):
    res = subprocess.run(["java", "-Xmx1g", "-cp", cp, f"org.apache.kafka.tools.{cls}", *map(str, args)],
                         capture_output=True, text=True, timeout=timeout)
    return res.returncode, [l for l in (res.stdout + res.stderr).splitlines() if not l.startswith("SLF4J")]


def create_topic(b, args):
    """Creates the topic (one request; if the broker refuses that many partitions in one request, as Kafka's
    controller may, half and then an increase to the full count) and waits for every partition."""
    bs = f"127.0.0.1:{b.port}"
    t0 = time.monotonic()
    rc, out = tool(args.kafka_cp, "TopicCommand", "--bootstrap-server", bs, "--create", "--topic", TOPIC,
                   "--partitions", args.partitions, "--replication-factor", 1)
    split = False
    if rc != 0:
        log(f"[{b.side}] create of {args.partitions} partitions refused: {' | '.join(out[-3:])}; creating half, then altering")
        split = True
        rc, out = tool(args.kafka_cp, "TopicCommand", "--bootstrap-server", bs, "--create", "--topic", TOPIC,
                       "--partitions", args.partitions // 2, "--replication-factor", 1)
        if rc == 0:
            rc, out = tool(args.kafka_cp, "TopicCommand", "--bootstrap-server", bs, "--alter", "--topic", TOPIC,
                           "--partitions", args.partitions)
        if rc != 0:
            raise RuntimeError(f"create failed: {out[-5:]}")
    create_s = time.monotonic() - t0
    deadline = t0 + args.start_timeout
    while True:
        led, dirs = _metadata_led(b.port, TOPIC), partition_dirs(b.logs, TOPIC)
        if led >= args.partitions and dirs >= args.partitions:
            break
        if time.monotonic() > deadline:
            raise RuntimeError(f"after {args.start_timeout}s: {led} partitions led, {dirs} directories")
        time.sleep(0.1)
    return create_s, time.monotonic() - t0, split


def produce(b, args):
    rc, out = tool(args.kafka_cp, "ProducerPerformance", "--topic", TOPIC, "--num-records", args.records,
                   "--record-size", 1024, "--throughput", -1, "--producer-props", f"bootstrap.servers=127.0.0.1:{b.port}",
                   "acks=all", "linger.ms=5")
    m = [re.match(r"(\d+) records sent, ([0-9.]+) records/sec \(([0-9.]+) MB/sec\), ([0-9.]+) ms avg latency, "
                  r"([0-9.]+) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th, (\d+) ms 99.9th", l)
         for l in out]
    m = [x for x in m if x]
    if rc != 0 or not m:
        raise RuntimeError(f"ProducerPerformance failed ({rc}): {out[-5:]}")
    g = m[-1].groups()
    log(f"[{b.side}] produce: {m[-1].group(0)}")
    return {"records": int(g[0]), "mb_per_s": float(g[2]), "p50_ms": float(g[5]), "p99_ms": float(g[7]),
            "p999_ms": float(g[8])}


def consume(b, args):
    rc, out = tool(args.kafka_cp, "ConsumerPerformance", "--bootstrap-server", f"127.0.0.1:{b.port}", "--topic", TOPIC,
                   "--num-records", args.records, "--timeout", 120000, "--group", f"density-{time.time_ns()}")
    rows = [l.split(", ") for l in out if re.match(r"\d{4}-\d\d-\d\d ", l)]
    if rc != 0 or not rows:
        raise RuntimeError(f"ConsumerPerformance failed ({rc}): {out[-5:]}")
    r = rows[-1]  # start, end, MB, MB/s, records, records/s, rebalance ms, fetch ms, fetch MB/s, fetch records/s
    log(f"[{b.side}] consume: {', '.join(r)}")
    return {"records": int(float(r[4])), "mb_per_s": float(r[3]), "rebalance_ms": float(r[6]),
            "fetch_mb_per_s": float(r[8])}


def run_side(side, args):
    data_dir = tempfile.mkdtemp(prefix=f"bench-density-{side}-", dir=args.keep)
    if side == "kafka":  # formatting KRaft storage is untimed (as compare.py does)
        subprocess.run([os.path.join(SHARED, "reference-broker.sh"), str(args.port), data_dir, "--format-only"],
                       check=True, stdout=subprocess.DEVNULL)
    b = Broker(side, args.port, data_dir, args)
    m, done = {}, False
    try:
        m["start.port_s"], _, m["start.log_s"] = b.start(0)
        time.sleep(2)
        pid = b.proc.pid
        for k, v in footprint(pid).items():
            m[f"idle.{k}"] = v
        c0 = cpu_s(pid)
        m["create_s"], m["create_ready_s"], split = create_topic(b, args)
        m["create.broker_cpu_s"] = cpu_s(pid) - c0
        log(f"[{side}] topic of {args.partitions} partitions: command {m['create_s']:.1f} s, all led and on disk "
            f"{m['create_ready_s']:.1f} s{' (created in two steps)' if split else ''}")
        time.sleep(2)
        for k, v in footprint(pid).items():
            m[f"created.{k}"] = v
        for name, fn in (("produce", produce), ("consume", consume)):
            c0 = cpu_s(pid)
            r = fn(b, args)
            cpu = cpu_s(pid) - c0
            for k, v in r.items():
                if k != "records":
                    m[f"{name}.{k}"] = v
            m[f"{name}.broker_cpu_ms_per_mb"] = 1000 * cpu / (r["records"] * 1024 / 1e6)
            for k, v in footprint(pid).items():
                m[f"{name}.{k}"] = v
        m["consume.live_heap_mb"] = live_heap_mb(pid)
        m["stop_s"] = b.stop()
        m["restart.port_s"], m["restart.ready_s"], m["restart.log_s"] = b.start(args.partitions)
        time.sleep(2)
        for k, v in footprint(b.proc.pid).items():
            m[f"restart.{k}"] = v
        m["restart.live_heap_mb"] = live_heap_mb(b.proc.pid)
        m["restart.stop_s"] = b.stop()
        log(f"[{side}] restart: port {m['restart.port_s']:.2f} s, all {args.partitions} partitions led "
            f"{m['restart.ready_s']:.2f} s, started line {m['restart.log_s']:.2f} s; RSS {m['restart.rss_mb']:.0f} MiB, "
            f"{m['restart.fds']} fds, {m['restart.mmaps']} mappings")
        done = True
    finally:
        b.stop(60)
        if args.keep is None and done:
            shutil.rmtree(data_dir, ignore_errors=True)
        elif not done:
            log(f"[{side}] kept {data_dir} (broker logs) for a look")
    return m


ORDER = ["start.port_s", "start.log_s", "idle.rss_mb", "idle.fds", "idle.mmaps", "create_s", "create_ready_s",
         "create.broker_cpu_s", "created.rss_mb", "created.fds", "created.mmaps", "produce.mb_per_s", "produce.p50_ms",
         "produce.p99_ms", "produce.p999_ms", "produce.broker_cpu_ms_per_mb", "produce.rss_mb", "produce.fds",
         "produce.mmaps", "consume.mb_per_s", "consume.fetch_mb_per_s", "consume.rebalance_ms",
         "consume.broker_cpu_ms_per_mb", "consume.rss_mb", "consume.fds", "consume.mmaps", "consume.live_heap_mb", "stop_s", "restart.port_s",
         "restart.ready_s", "restart.log_s", "restart.rss_mb", "restart.rss_file_mb", "restart.fds", "restart.mmaps", "restart.live_heap_mb", "restart.stop_s"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--partitions", type=int, default=10000)
    ap.add_argument("--records", type=int, default=300000)
    ap.add_argument("--sides", default="samsa,kafka")
    ap.add_argument("--port", type=int, default=29392)
    ap.add_argument("--start-timeout", type=int, default=900, help="seconds for a start or a topic creation")
    ap.add_argument("--keep", help="put the data directories under DIR and keep them (default: a temp dir, removed)")
    args = ap.parse_args()
    sides = args.sides.split(",")
    args.kafka_cp = kafka_cp()
    log(f"open-file limit {resource.getrlimit(resource.RLIMIT_NOFILE)}, vm.max_map_count "
        f"{open('/proc/sys/vm/max_map_count').read().strip()}")
    if "samsa" in sides:  # build and train the start-up archive before anything is timed
        subprocess.run([os.path.join(ROOT, "samsa"), "version"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    results = {s: [] for s in sides}
    for r in range(args.rounds):
        for side in (sides if r % 2 == 0 else sides[::-1]):
            log(f"[{side}] round {r + 1}")
            try:
                results[side].append(run_side(side, args))
            except Exception as e:
                log(f"[{side}] round {r + 1} failed: {e}")
    keys = [k for k in ORDER if any(k in m for ms in results.values() for m in ms)]
    keys += sorted({k for ms in results.values() for m in ms for k in m} - set(keys))
    print(f"{'metric':<30}" + "".join(f"{s:>12}" for s in sides) + (f"{'ratio s/k':>11}" if len(sides) > 1 else ""))
    for k in keys:
        med = {}
        for s in sides:
            v = [m[k] for m in results[s] if k in m and m[k] == m[k]]
            med[s] = statistics.median(v) if v else float("nan")
        line = f"{k:<30}" + "".join(f"{med[s]:>12.2f}" for s in sides)
        if "samsa" in med and "kafka" in med:
            ratio = med["samsa"] / med["kafka"] if med["kafka"] else float("nan")
            line += f"{ratio:>11.2f}"
        print(line)


if __name__ == "__main__":
    main()
