#!/usr/bin/env python3
"""Server memory per idle established TLS connection, against plain TCP (issue 6: <= 24 KiB).

Makes the test PKI (tests/support/make_test_pki) in a temporary directory, writes a sipring
configuration (one shard, [server] cpus = "0"; one TLS and one TCP listener on free loopback
ports; [tls] with sip.a.test's certificate), and for each transport and each run starts a fresh
build/bin/sipring, runs build/bin/sipring-tls-idle (bench/compare/tls_idle_connections.cc)
against it with --count N, and stops the server. The tool reads the server's VmRSS before,
completes N handshakes (TLS 1.3, OpenSSL client verifying sip.a.test against ca-a), waits for
the RSS to settle and reads it again. Prints bytes per connection per run and the medians.

Two states of an idle connection are measured: "handshake" (established, no SIP carried yet)
and "options" (--message: one OPTIONS answered over it, so that its receive buffers were used).

Every child runs under a timeout and is stopped at the end, whatever happens.

  bench/compare/tls_memory.py                    # N = 10000, 3 runs each
  bench/compare/tls_memory.py --count 2000 --runs 1 --states handshake
"""

import argparse
import json
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_config(path, pki, tls_port, tcp_port, max_handshakes):
    with open(path, "w") as f:
        f.write("# written by bench/compare/tls_memory.py\n"
                "[server]\n"
                'domains = ["a.test"]\n'
                'cpus = "0"\n\n'
                "[[listen]]\n"
                'transport = "tls"\n'
                f'address = "127.0.0.1:{tls_port}"\n\n'
                "[[listen]]\n"
                'transport = "tcp"\n'
                f'address = "127.0.0.1:{tcp_port}"\n\n'
                "[tls]\n"
                f'certificate = "{pki}/sip.a.test.crt"\n'
                f'private_key = "{pki}/sip.a.test.key"\n'
                f"max_handshakes = {max_handshakes}\n\n"
                "[runtime]\n"
                "stop_grace_ms = 200\n\n"
                "[log]\n"
                'level = "warn"\n')


class Server:
    def __init__(self, binary, config, logfile):
        self.log = open(logfile, "w")
        self.proc = subprocess.Popen([binary, "--config", config], stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self.logfile = logfile

    def wait_running(self, seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                return False
            with open(self.logfile) as f:
                if "sipring: running" in f.read():
                    return True
            time.sleep(0.05)
        return False

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.log.close()


def measure(args, workdir, pki, transport, state, run):
    tls_port, tcp_port = free_port(), free_port()
    config = os.path.join(workdir, "sipring.toml")
    write_config(config, pki, tls_port, tcp_port, args.max_handshakes)
    logfile = os.path.join(workdir, f"sipring-{transport}-{state}-{run}.log")
    server = Server(args.sipring or os.path.join(args.bin_dir, "sipring"), config, logfile)
    try:
        if not server.wait_running(15):
            sys.exit(f"sipring did not start; see {logfile}:\n" + open(logfile).read()[-2000:])
        cmd = [os.path.join(args.bin_dir, "sipring-tls-idle"), "--count", str(args.count),
               "--server-pid", str(server.proc.pid), "--json", "--settle-seconds", str(args.settle)]
        if transport == "tls":
            cmd += ["--connect", f"127.0.0.1:{tls_port}", "--ca", f"{pki}/ca-a.crt", "--server-name", "sip.a.test"]
        else:
            cmd += ["--connect", f"127.0.0.1:{tcp_port}", "--plain"]
        if state == "options":
            cmd += ["--message"]
        if os.cpu_count() and os.cpu_count() >= 2 and shutil.which("taskset"):
            cmd = ["taskset", "-c", "1"] + cmd
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
        if p.returncode != 0 or not p.stdout.strip():
            sys.exit(f"sipring-tls-idle failed ({p.returncode}):\n{p.stdout}{p.stderr[-3000:]}")
        return json.loads(p.stdout.strip().splitlines()[-1])
    finally:
        server.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--settle", type=float, default=2.0, help="seconds the RSS must hold still")
    ap.add_argument("--max-handshakes", type=int, default=256)
    ap.add_argument("--bin-dir", default=os.path.join(ROOT, "build", "bin"))
    ap.add_argument("--sipring", help="the server binary (default: BIN_DIR/sipring), to compare builds")
    ap.add_argument("--timeout", type=float, default=300, help="seconds per tool run")
    ap.add_argument("--transports", default="tls,tcp")
    ap.add_argument("--states", default="handshake,options",
                    help="handshake: idle once established; options: idle after one OPTIONS")
    args = ap.parse_args()

    # The server raises its own descriptor limit up to the hard one; the tool too.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < args.count + 256:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, args.count + 1024))
        except (ValueError, OSError):
            sys.exit(f"the hard descriptor limit {hard} is below {args.count + 256}: raise it (ulimit -Hn)")

    workdir = tempfile.mkdtemp(prefix="sipring-tls-memory-")
    try:
        pki = os.path.join(workdir, "pki")
        subprocess.run([os.path.join(ROOT, "tests", "support", "make_test_pki"), pki], check=True,
                       stdout=subprocess.DEVNULL, timeout=120)
        results = {}
        for transport in args.transports.split(","):
            for state in args.states.split(","):
                for run in range(args.runs):
                    r = measure(args, workdir, pki, transport, state, run)
                    results.setdefault((transport, state), []).append(r)
                    print(f"{transport} {state} run {run + 1}: {r['connections']} connections ({r['alive']} alive), "
                          f"VmRSS {r['rss_before'] // 1024} -> {r['rss_after'] // 1024} KiB, "
                          f"{r['bytes_per_connection']:.0f} bytes/connection "
                          f"(anon {r['anon_bytes_per_connection']:.0f}) {r['version']}", flush=True)
        print()
        print(f"| transport | idle after | N | bytes per connection (median of {args.runs}) | KiB | runs |")
        print("| --- | --- | --- | --- | --- | --- |")
        for (transport, state), rs in results.items():
            per = [r["bytes_per_connection"] for r in rs]
            m = statistics.median(per)
            print(f"| {transport} | {state} | {args.count} | {m:.0f} | {m / 1024:.1f} | "
                  + ", ".join(f"{x:.0f}" for x in per) + " |")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
