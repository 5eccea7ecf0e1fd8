#!/usr/bin/env python3
"""TLS benchmark: produce and consume MB/s over TLS and over PLAINTEXT, Samsa against Apache Kafka 4.3.1.

Each round starts a fresh Samsa (`./samsa server --override ...`, this checkout, built by the launcher if stale) and a
fresh Kafka 4.3.1 (../shared/bench/reference-broker.sh, its TLS keys through EXTRA_PROPS), alternating which goes
first. Both brokers get the same two listeners on loopback: PLAINTEXT on --port and SSL on --port + 2 (Kafka's
controller takes --port + 1), with the same PKCS12 key store (RSA 2048, made once per run with keytool: a CA and a
broker certificate with SAN 127.0.0.1; the files are kept in the run's directory, printed at start). Each broker is
driven by Apache Kafka's own ProducerPerformance and ConsumerPerformance (kafka-clients 4.3.1, TLS with the JDK's
provider on the client side):

  produce   --records records of --record-size bytes, acks=all, linger.ms=5, batch.size=131072, 6 partitions
  consume   the same records read back from the beginning by a fresh consumer group

once over PLAINTEXT (topic bench-plain) and once over SSL (topic bench-ssl). For each workload the broker's CPU time
(user + system, all threads, from /proc) is reported per MB moved, as ../shared/bench/compare.py does. Prints, per
metric, the median over the rounds of each side, the Samsa/Kafka ratio, each side's TLS/PLAINTEXT ratio (the cost of
TLS on that broker) and the per-round values. Samsa's start-up log says which TLS engine it used (OpenSSL/BoringSSL
from netty-tcnative, else the JDK's); --samsa-provider jdk forces the JDK's.

Usage (from the repository root):
  samsa-bench/tls-compare.py [--rounds 3] [--records 500000] [--record-size 1024] [--sides samsa,kafka]
                             [--protocols plaintext,ssl] [--port 29292] [--samsa-provider openssl|jdk]
                             [--client java|kcat]
--client kcat drives both brokers with kcat (librdkafka 2.0.2 on OpenSSL) instead: `kcat -P -l` of a file with one
1 KiB line per record (acks=all, linger.ms=5), then `kcat -C -e` of all partitions; MB/s = bytes / wall time.
Only 127.0.0.1 is used. Needs ../shared/bench (next to the repository) and a JDK 21+ (`java`, `keytool` on the PATH).
"""
import argparse, os, re, shutil, signal, socket, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import ROOT, SHARED, log, tree_pids, cpu_s, wait_for_port, stop_broker  # noqa: E402

PASSWORD = "bench-secret"
PROTOCOL_TOPIC = {"plaintext": "bench-plain", "ssl": "bench-ssl"}


def keytool(*args):
    subprocess.run(["keytool", *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def make_certificates(d):
    """A CA, a broker key store (PKCS12, chain with the CA) and a trust store with the CA, as docs/security/tls.md."""
    common = ["-storetype", "PKCS12", "-storepass", PASSWORD]
    keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=Samsa bench CA",
            "-ext", "bc:c", "-validity", "30", "-keystore", f"{d}/ca.p12", *common)
    keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", f"{d}/ca.p12", "-file", f"{d}/ca.pem", *common)
    keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
            "-validity", "30", "-keystore", f"{d}/broker.p12", *common)
    keytool("-certreq", "-alias", "broker", "-keystore", f"{d}/broker.p12", "-file", f"{d}/broker.csr", *common)
    keytool("-gencert", "-alias", "ca", "-keystore", f"{d}/ca.p12", "-infile", f"{d}/broker.csr", "-outfile",
            f"{d}/broker.pem", "-rfc", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-ext", "EKU=serverAuth,clientAuth",
            "-validity", "30", *common)
    keytool("-importcert", "-noprompt", "-alias", "ca", "-file", f"{d}/ca.pem", "-keystore", f"{d}/broker.p12", *common)
    keytool("-importcert", "-alias", "broker", "-file", f"{d}/broker.pem", "-keystore", f"{d}/broker.p12", *common)
    keytool("-importcert", "-noprompt", "-alias", "ca", "-file", f"{d}/ca.pem", "-keystore", f"{d}/truststore.p12",
            *common)
    with open(f"{d}/client-ssl.properties", "w") as f:
        f.write(f"security.protocol=SSL\nssl.truststore.type=PKCS12\nssl.truststore.location={d}/truststore.p12\n"
                f"ssl.truststore.password={PASSWORD}\n")
    with open(f"{d}/client-plaintext.properties", "w") as f:
        f.write("security.protocol=PLAINTEXT\n")


def broker_keys(port, certs):
    """The listener and TLS keys both brokers get (Kafka's names)."""
    return {
        "listeners": f"PLAINTEXT://127.0.0.1:{port},SSL://127.0.0.1:{port + 2}",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,SSL:SSL,CONTROLLER:PLAINTEXT",
        "inter.broker.listener.name": "PLAINTEXT",
        "ssl.keystore.type": "PKCS12",
        "ssl.keystore.location": f"{certs}/broker.p12",
        "ssl.keystore.password": PASSWORD,
        "ssl.enabled.protocols": "TLSv1.2,TLSv1.3",
    }


def start_broker(side, port, data_dir, certs, samsa_provider):
    out = open(os.path.join(data_dir, "broker.log"), "w")
    keys = broker_keys(port, certs)
    env = dict(os.environ)
    if side == "samsa":
        cmd = [os.path.join(ROOT, "samsa"), "server", "--override", f"log.dirs={data_dir}/data",
               "--override", "group.initial.rebalance.delay.ms=0"]
        for k, v in keys.items():
            cmd += ["--override", f"{k}={v}"]
        if samsa_provider:
            env["SAMSA_OPTS"] = (env.get("SAMSA_OPTS", "") + f" -Dsamsa.ssl.provider={samsa_provider}").strip()
    else:
        keys["listeners"] += f",CONTROLLER://127.0.0.1:{port + 1}"
        keys["advertised.listeners"] = f"PLAINTEXT://127.0.0.1:{port},SSL://127.0.0.1:{port + 2}"
        env["EXTRA_PROPS"] = "\n".join(f"{k}={v}" for k, v in keys.items())
        ref = os.path.join(SHARED, "reference-broker.sh")
        subprocess.run([ref, str(port), data_dir, "--format-only"], check=True, stdout=subprocess.DEVNULL, env=env)
        cmd = [ref, str(port), data_dir]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, env=env)


def tool(kafka_cp, *args):
    res = subprocess.run(["java", "-Xmx1g", "-cp", kafka_cp, *args], capture_output=True, text=True, timeout=1800)
    if res.returncode != 0:
        raise RuntimeError(f"{args[0]} failed ({res.returncode}): {(res.stdout + res.stderr)[-2000:]}")
    return [l for l in res.stdout.splitlines() if l.strip() and not l.startswith("SLF4J")]


def produce(kafka_cp, bootstrap, config, topic, records, size):
    tool(kafka_cp, "org.apache.kafka.tools.TopicCommand", "--bootstrap-server", bootstrap, "--command-config", config,
         "--create", "--if-not-exists", "--topic", topic, "--partitions", "6", "--replication-factor", "1")
    lines = tool(kafka_cp, "org.apache.kafka.tools.ProducerPerformance", "--topic", topic, "--num-records",
                 str(records), "--record-size", str(size), "--throughput", "-1", "--command-config", config,
                 "--producer-props", f"bootstrap.servers={bootstrap}", "acks=all", "linger.ms=5", "batch.size=131072")
    m = re.search(r"([0-9]+) records sent, ([0-9.]+) records/sec \(([0-9.]+) MB/sec\)", lines[-1])
    if not m:
        raise RuntimeError(f"unexpected ProducerPerformance output: {lines[-1]}")
    return {"records": float(m.group(1)), "mb_per_s": float(m.group(3))}


def consume(kafka_cp, bootstrap, config, topic, records):
    lines = tool(kafka_cp, "org.apache.kafka.tools.ConsumerPerformance", "--bootstrap-server", bootstrap, "--topic",
                 topic, "--num-records", str(records), "--timeout", "60000", "--command-config", config,
                 "--group", f"bench-{time.time_ns()}")
    cols = lines[-1].split(", ")  # start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, ...
    return {"records": float(cols[4]), "mb_per_s": float(cols[3])}


def kcat_args(bootstrap, protocol, certs):
    args = ["kcat", "-b", bootstrap, "-q"]
    if protocol == "ssl":
        args += ["-X", "security.protocol=ssl", "-X", f"ssl.ca.location={certs}/ca.pem"]
    return args


def kcat_produce(kafka_cp, bootstrap, config, topic, records, size, certs, protocol, payload):
    """librdkafka (OpenSSL) as the client: one record per line of the payload file, acks=all, linger.ms=5."""
    tool(kafka_cp, "org.apache.kafka.tools.TopicCommand", "--bootstrap-server", bootstrap, "--command-config", config,
         "--create", "--if-not-exists", "--topic", topic, "--partitions", "6", "--replication-factor", "1")
    start = time.monotonic()
    subprocess.run(kcat_args(bootstrap, protocol, certs) + ["-P", "-t", topic, "-X", "acks=all", "-X", "linger.ms=5",
                   "-X", "batch.size=131072", "-l", payload], check=True, timeout=1800)
    return {"records": float(records), "mb_per_s": records * size / 1e6 / (time.monotonic() - start)}


def kcat_consume(bootstrap, topic, records, size, certs, protocol):
    start = time.monotonic()
    out = subprocess.run(kcat_args(bootstrap, protocol, certs) + ["-C", "-t", topic, "-o", "beginning", "-e",
                         "-f", "%o\\n"], check=True, timeout=1800, capture_output=True)
    got = out.stdout.count(b"\n")
    return {"records": float(got), "mb_per_s": got * size / 1e6 / (time.monotonic() - start)}


def run_side(side, rnd, args):
    data_dir = tempfile.mkdtemp(prefix=f"bench-tls-{side}-")
    proc = start_broker(side, args.port, data_dir, args.certs, args.samsa_provider)
    metrics = {}
    try:
        wait_for_port(args.port, proc)
        wait_for_port(args.port + 2, proc)
        time.sleep(2)  # let the broker finish starting its internals
        for protocol in args.protocols:
            port = args.port if protocol == "plaintext" else args.port + 2
            bootstrap, config = f"127.0.0.1:{port}", os.path.join(args.certs, f"client-{protocol}.properties")
            topic = PROTOCOL_TOPIC[protocol]
            for w in ("produce", "consume"):
                before = cpu_s(proc.pid)
                if args.client == "kcat":
                    kv = (kcat_produce(args.kafka_cp, bootstrap, config, topic, args.records, args.record_size,
                                       args.certs, protocol, args.payload)
                          if w == "produce" else kcat_consume(bootstrap, topic, args.records, args.record_size,
                                                              args.certs, protocol))
                else:
                    kv = (produce(args.kafka_cp, bootstrap, config, topic, args.records, args.record_size)
                          if w == "produce" else consume(args.kafka_cp, bootstrap, config, topic, args.records))
                cpu = cpu_s(proc.pid) - before
                mb = kv["records"] * args.record_size / 1e6
                metrics[f"{protocol}.{w}.mb_per_s"] = kv["mb_per_s"]
                if mb > 0:
                    metrics[f"{protocol}.{w}.broker_cpu_ms_per_mb"] = 1000 * cpu / mb
                log(f"[{side} round {rnd + 1}] {protocol} {w}: {kv['mb_per_s']:.1f} MB/s, broker cpu {cpu:.1f} s")
        if side == "samsa":
            with open(os.path.join(data_dir, "broker.log")) as f:
                engine = re.search(r"Listener SSL: TLS \S+ on (.*?), ssl\.client\.auth", f.read())
            if engine:
                log(f"[samsa] TLS engine: {engine.group(1)}")
    finally:
        stop_broker(proc)
        shutil.rmtree(data_dir, ignore_errors=True)
    return metrics


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--records", type=int, default=500000)
    ap.add_argument("--record-size", type=int, default=1024)
    ap.add_argument("--sides", default="samsa,kafka")
    ap.add_argument("--protocols", default="plaintext,ssl")
    ap.add_argument("--port", type=int, default=29292,
                    help="PLAINTEXT port; Kafka's controller one above, SSL two above; below the ephemeral range")
    ap.add_argument("--samsa-provider", choices=("openssl", "jdk"), help="force Samsa's TLS engine")
    ap.add_argument("--client", choices=("java", "kcat"), default="java",
                    help="java: Kafka's perf tools (the JDK's TLS); kcat: librdkafka with OpenSSL (cheaper TLS)")
    args = ap.parse_args()
    sides = args.sides.split(",")
    for side in sides:
        if side not in ("samsa", "kafka"):
            ap.error(f"unknown side {side} (samsa, kafka)")
    args.protocols = args.protocols.split(",")
    for p in args.protocols:
        if p not in PROTOCOL_TOPIC:
            ap.error(f"unknown protocol {p} (plaintext, ssl)")
    args.kafka_cp = subprocess.run([os.path.join(SHARED, "kafka-dist.sh")], check=True, capture_output=True,
                                   text=True).stdout.strip()
    args.certs = tempfile.mkdtemp(prefix="bench-tls-certs-")
    make_certificates(args.certs)
    if args.client == "kcat":  # one record per line: record-size - 1 bytes plus the newline kcat strips
        args.payload = os.path.join(args.certs, "payload.txt")
        line = ("x" * (args.record_size - 1) + "\n").encode()
        with open(args.payload, "wb") as f:
            for _ in range(args.records):
                f.write(line)
    log(f"certificates in {args.certs} (key store and trust store password: {PASSWORD})")
    if "samsa" in sides:  # build now (if stale), not inside the first timed start
        subprocess.run([os.path.join(ROOT, "samsa"), "version"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    results = {s: [] for s in sides}
    for r in range(args.rounds):
        for side in sides[r % len(sides):] + sides[:r % len(sides)]:  # rotate which side goes first
            try:
                results[side].append(run_side(side, r, args))
            except Exception as e:  # a failed side is reported, not fatal to the table
                log(f"[{side}] round {r + 1} failed: {e}")
    keys = sorted({k for side in results.values() for m in side for k in m})

    def median(side, k):
        vs = [m[k] for m in results.get(side, []) if k in m]
        return (statistics.median(vs) if vs else float("nan")), vs

    def ratio(a, b):
        return a / b if b and b == b and a == a else float("nan")

    print(f"{'metric':<36}{'samsa':>10}{'kafka':>10}{'ratio s/k':>11}{'samsa tls/pt':>14}{'kafka tls/pt':>14}"
          "   rounds (" + " | ".join(sides) + ")")
    for k in keys:
        sm, km = median("samsa", k)[0], median("kafka", k)[0]
        plain = k.replace("ssl.", "plaintext.", 1)
        cost_s = ratio(sm, median("samsa", plain)[0]) if k.startswith("ssl.") else float("nan")
        cost_k = ratio(km, median("kafka", plain)[0]) if k.startswith("ssl.") else float("nan")
        per_round = " | ".join(" / ".join(f"{v:.1f}" for v in median(side, k)[1]) for side in sides)
        print(f"{k:<36}{sm:>10.2f}{km:>10.2f}{ratio(sm, km):>11.2f}{cost_s:>14.2f}{cost_k:>14.2f}   {per_round}")


if __name__ == "__main__":
    main()
