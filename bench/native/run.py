#!/usr/bin/env python3
"""Native executable against the JVM, in one run on this machine (see README.md).

    bench/native/run.py [--out FILE] [--echoes N] [--duration S] [--targets native,jvm]

A target is `native` or `jvm`, optionally `label=kind:options` to add run-time options, e.g.
`--targets 'native,native-xmx=native:-Xmx128m,jvm'`.

Needs target/<name>-runner (build-native) and target/quarkus-app (./mvnw package), wrk, and a
free loopback port. Each target runs from an empty temporary directory with its own embedded
PostgreSQL, exactly as a user would start it; nothing else is measured at the same time.
"""
import argparse
import glob
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LUA = os.path.join(ROOT, "bench", "echo-load", "a2a-send.lua")
JVM_OPTS = ["-XX:+UseSerialGC", "-Xmx256m"]  # the ./purser launcher's default PURSER_JAVA_OPTS


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


def postmaster_rss_kb(data_dir):
    """RSS of the embedded PostgreSQL: its postmaster and every backend (shared pages counted)."""
    try:
        with open(os.path.join(data_dir, "pg", "postmaster.pid")) as f:
            root = int(f.readline())
    except (FileNotFoundError, ValueError):
        return 0
    pids = [root] + children(root)
    return sum(rss_kb(p) for p in pids)


def children(pid):
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    result = []
    for c in out:
        result.append(int(c))
        result.extend(children(int(c)))
    return result


def java():
    for home in [os.environ.get("JAVA_HOME", "")] + sorted(glob.glob("/usr/lib/jvm/*25*")):
        exe = os.path.join(home, "bin", "java")
        if home and os.access(exe, os.X_OK):
            return exe
    return shutil.which("java")


class App:
    """One server process started from an empty working directory."""

    def __init__(self, target, data_dir, port, log):
        kind, options = target["kind"], target["options"]
        self.kind, self.data_dir, self.port = kind, data_dir, port
        if kind == "native":
            runner = glob.glob(os.path.join(ROOT, "target", "*-runner"))
            cmd = [runner[0]] + options
        else:
            jar = os.path.join(ROOT, "target", "quarkus-app", "quarkus-run.jar")
            cmd = [java()] + (options or JVM_OPTS) + ["-jar", jar]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PURSER_DB_")}
        env.update(QUARKUS_HTTP_PORT=str(port), PURSER_DATA_DIR=data_dir)
        self.started = time.monotonic()
        self.proc = subprocess.Popen(cmd, cwd=os.path.dirname(data_dir), env=env,
                                     stdout=log, stderr=subprocess.STDOUT)

    def time_to_card(self, limit=120):
        """Seconds from the process start to the first 200 for the card."""
        while time.monotonic() - self.started < limit:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.kind} exited with {self.proc.returncode}")
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                c.request("GET", "/.well-known/agent-card.json")
                if c.getresponse().status == 200:
                    return time.monotonic() - self.started
            except OSError:
                pass
            time.sleep(0.002)
        raise RuntimeError(f"{self.kind} served no card within {limit} s")

    def echoes(self, n):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        for i in range(n):
            body = json.dumps({"jsonrpc": "2.0", "id": i, "method": "message/send", "params": {
                "message": {"kind": "message", "role": "user", "messageId": str(uuid.uuid4()),
                            "parts": [{"kind": "text", "text": f"echo {i}"}]}}})
            c.request("POST", "/api/a2a", body, {"Content-Type": "application/json"})
            answer = json.loads(c.getresponse().read())
            if answer.get("result", {}).get("status", {}).get("state") != "completed":
                raise RuntimeError(f"echo {i}: {answer}")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(60)


def wrk(port, duration):
    out = subprocess.run(["wrk", "-t2", "-c16", f"-d{duration}s", "--latency", "-s", LUA,
                          f"http://127.0.0.1:{port}/api/a2a", "--", "10"],
                         capture_output=True, text=True, check=True).stdout
    rps = float(next(l.split()[1] for l in out.splitlines() if l.startswith("Requests/sec")))
    lat = {l.split()[0]: l.split()[1] for l in out.splitlines() if l.strip().startswith(("50%", "99%"))}
    errors = sum(int(l.split()[1]) for l in out.splitlines()
                 if l.startswith(("A2A_STATUS_ERRORS", "A2A_RPC_ERRORS", "A2A_NOT_COMPLETED")))
    return rps, lat.get("50%"), lat.get("99%"), errors


def parse_target(spec):
    """`native`, `jvm`, or `label=kind:options`."""
    label, _, rest = spec.partition("=")
    kind, _, options = (rest or label).partition(":")
    if kind not in ("native", "jvm"):
        sys.exit(f"unknown target kind {kind!r} in {spec!r}")
    return {"label": label if rest else kind, "kind": kind, "options": options.split()}


def measure(target, args, work):
    kind = target["label"]
    r = {"target": kind + (f" `{' '.join(target['options'])}`" if target["options"] else "")}
    log = open(os.path.join(work, f"{kind}.log"), "ab")

    def start(name):
        d = tempfile.mkdtemp(prefix=f"{kind}-{name}-", dir=work)
        return os.path.join(d, "data")

    fresh_dirs = [start("fresh") for _ in range(2)]
    r["card_fresh"] = []
    for i, d in enumerate(fresh_dirs):
        app = App(target, d, free_port(), log)
        r["card_fresh"].append(app.time_to_card())
        if i < len(fresh_dirs) - 1:
            app.stop()
    # The last fresh instance stays up for memory and load.
    time.sleep(5)
    r["rss_idle"] = rss_kb(app.proc.pid)
    r["pg_rss_idle"] = postmaster_rss_kb(app.data_dir)
    t = time.monotonic()
    app.echoes(args.echoes)
    r["echo_seq_per_s"] = args.echoes / (time.monotonic() - t)
    r["rss_after_echoes"] = rss_kb(app.proc.pid)
    wrk(app.port, 5)  # warm-up
    r["rps"], r["p50"], r["p99"], r["wrk_errors"] = wrk(app.port, args.duration)
    r["rss_after_load"] = rss_kb(app.proc.pid)
    t = time.monotonic()
    app.stop()
    r["stop_s"] = time.monotonic() - t
    r["card_migrated"] = []
    r["rss_idle_migrated"] = []
    for _ in range(3):
        again = App(target, fresh_dirs[-1], free_port(), log)
        r["card_migrated"].append(again.time_to_card())
        time.sleep(3)
        r["rss_idle_migrated"].append(rss_kb(again.proc.pid))
        again.stop()
    return r


def table(results, args):
    def ms(xs):
        return " / ".join(f"{x * 1000:.0f}" for x in xs) + f" (median {statistics.median(xs) * 1000:.0f})"

    rows = [
        ("start to card, fresh data dir (ms, 2 runs)", lambda r: ms(r["card_fresh"])),
        ("start to card, migrated data dir (ms, 3 runs)", lambda r: ms(r["card_migrated"])),
        ("RSS idle after a fresh start (MB)", lambda r: f"{r['rss_idle'] / 1024:.0f}"),
        ("RSS idle after a migrated start (MB, 3 runs)",
         lambda r: " / ".join(f"{x / 1024:.0f}" for x in r["rss_idle_migrated"])),
        (f"RSS after {args.echoes} sequential echoes (MB)", lambda r: f"{r['rss_after_echoes'] / 1024:.0f}"),
        (f"sequential echoes per second (1 connection)", lambda r: f"{r['echo_seq_per_s']:.0f}"),
        (f"echo throughput, wrk -t2 -c16 {args.duration}s (req/s)", lambda r: f"{r['rps']:.0f}"),
        ("latency p50 / p99", lambda r: f"{r['p50']} / {r['p99']}"),
        ("wrk errors", lambda r: str(r["wrk_errors"])),
        ("RSS after the load (MB)", lambda r: f"{r['rss_after_load'] / 1024:.0f}"),
        ("embedded PostgreSQL RSS idle, all its processes (MB)", lambda r: f"{r['pg_rss_idle'] / 1024:.0f}"),
        ("SIGTERM to exit (ms)", lambda r: f"{r['stop_s'] * 1000:.0f}"),
    ]
    lines = ["| | " + " | ".join(r["target"] for r in results) + " |",
             "|---|" + "---|" * len(results)]
    for name, f in rows:
        lines.append(f"| {name} | " + " | ".join(f(r) for r in results) + " |")
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out")
    p.add_argument("--echoes", type=int, default=1000)
    p.add_argument("--duration", type=int, default=20)
    p.add_argument("--targets", default="native,jvm")
    args = p.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk not found: apt-get install -y wrk")
    work = tempfile.mkdtemp(prefix="purser-bench-native-")
    machine = (f"{os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') >> 30} GiB, "
               f"load average before {os.getloadavg()[0]:.2f}")
    results = [measure(parse_target(t), args, work) for t in args.targets.split(",")]
    report = (f"## {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n\n"
              f"Machine: {machine}, load average after {os.getloadavg()[0]:.2f}. JVM: `{java()}` "
              f"{' '.join(JVM_OPTS)}. Logs: {work}.\n\n" + table(results, args) + "\n")
    print(report)
    if args.out:
        with open(args.out, "a") as f:
            f.write(report + "\n")
    print(json.dumps(results, indent=1), file=sys.stderr)


if __name__ == "__main__":
    main()
