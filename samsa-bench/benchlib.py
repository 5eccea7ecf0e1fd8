"""Helpers shared by the samsa-bench scripts (cluster-compare, cpu-split, density, tls-compare, txn-compare): logging,
the reference Kafka's class path, a process tree's CPU time from /proc, the JVM in a tree, waiting for a port and
stopping a broker's process group. Standard library only; Linux (/proc)."""
import os, signal, socket, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "bench")


def log(msg):
    sys.stderr.write(time.strftime("%H:%M:%S ") + msg + "\n"); sys.stderr.flush()


def kafka_cp():
    """The class path of Apache Kafka 4.3.1's tools (../shared/bench/kafka-dist.sh)."""
    return subprocess.run([os.path.join(SHARED, "kafka-dist.sh")], check=True, capture_output=True,
                          text=True).stdout.strip()


def tree_pids(pid):
    """pid and all its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop(); out.append(p)
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return out


def cpu_s(*roots):
    """CPU seconds (user + system, all threads) used so far by the process trees rooted at roots."""
    ticks = 0
    for root in roots:
        for p in tree_pids(root):
            try:
                with open(f"/proc/{p}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])  # utime, stime
            except (OSError, IndexError, ValueError):
                pass
    return ticks / os.sysconf("SC_CLK_TCK")


def java_pid(pid):
    """The JVM in the process tree rooted at pid (the launchers exec it, so usually pid itself)."""
    for p in tree_pids(pid):
        try:
            with open(f"/proc/{p}/cmdline", "rb") as f:
                if f.read().split(b"\0")[0].endswith(b"java"):
                    return p
        except OSError:
            pass
    return pid


def wait_for_port(port, proc, timeout_s=180):
    """Seconds until 127.0.0.1:port accepts a connection; fails if proc exits first or after timeout_s."""
    start = time.monotonic()
    while time.monotonic() - start < timeout_s:
        if proc.poll() is not None:
            raise RuntimeError(f"broker exited with {proc.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return time.monotonic() - start
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"broker did not listen on {port} within {timeout_s}s")


def stop_broker(proc):
    """SIGTERM to the broker's process group (started with start_new_session), SIGKILL after 60 s."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL); proc.wait()
