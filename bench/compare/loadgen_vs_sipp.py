#!/usr/bin/env python3
"""Load generator CPU per transaction: sipp against sipring-load, driving the same sipring.

sipring runs on the first allowed CPU (one shard, UDP), the generator on the second. For each
scenario and generator: a fresh server, then a fixed rate for a fixed count, and the generator's
own CPU time (user + system, every process of it: getrusage of the waited-for children, plus
/proc/PID/stat of sipp's background UAS) divided by the transactions. Medians of --runs.

  register  sipp register.xml (users u0..u999) | sipring-load --scenario register --users 1000
  call      sipp uac_call.xml + uas.xml (UAC + UAS) | sipring-load --scenario call --users 100
            (INVITE -> 180 -> 200 -> ACK -> BYE -> 200 through the record-routing proxy)

sipring-load's JSON also gives its own figure (its shard threads over the measured phase); the
table shows both. Every child runs under a timeout.

  bench/compare/loadgen_vs_sipp.py --runs 3
"""

import argparse
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SIPP_DIR = os.path.join(ROOT, "tests", "integration", "sipp")
BIN = os.path.join(ROOT, "build", "bin")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children_cpu():
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


def proc_cpu(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_server(workdir, port, cpu):
    cfg = os.path.join(workdir, "sipring.toml")
    with open(cfg, "w") as f:
        f.write(f'[server]\ndomains = ["localhost", "127.0.0.1"]\ncpus = "{cpu}"\n'
                f'[runtime]\nstop_grace_ms = 200\n[log]\nlevel = "warn"\n'
                f'[[listen]]\ntransport = "udp"\naddress = "127.0.0.1:{port}"\n')
    p = subprocess.Popen([os.path.join(BIN, "sipring"), "--config", cfg], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        line = p.stdout.readline()
        if "sipring: running" in line:
            return p
    p.kill()
    sys.exit("sipring did not start")


def sipp(scenario, port, extra, cpu):
    return ["taskset", "-c", str(cpu), "sipp", "-sf", os.path.join(SIPP_DIR, scenario), "-t", "u1", "-i",
            "127.0.0.1", "-p", str(port), "-nostdin", "-buff_size", str(4 << 20)] + extra


def run_sipp_generator(scenario, target, rate, count, cpu, workdir):
    """CPU seconds of sipp (UAC, and UAS for a call) and whether every call succeeded."""
    uas = None
    uas_cpu = 0.0
    if scenario == "call":
        uas_port = free_port()
        csv = os.path.join(workdir, "uas.csv")
        with open(csv, "w") as f:
            f.write("SEQUENTIAL\nuas;\n")
        subprocess.run(sipp("register.xml", uas_port, ["-inf", csv, "-m", "1", target], cpu),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=20, check=True)
        uas = subprocess.Popen(sipp("uas.xml", uas_port, ["-s", "uas"], cpu), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
        time.sleep(0.3)
        extra = ["-s", "uas"]
        sfile = "uac_call.xml"
    else:
        csv = os.path.join(workdir, "users.csv")
        with open(csv, "w") as f:
            f.write("SEQUENTIAL\n" + "".join(f"u{i};\n" for i in range(1000)))
        extra = ["-inf", csv]
        sfile = "register.xml"
    before = children_cpu()
    r = subprocess.run(sipp(sfile, free_port(), extra + ["-r", str(rate), "-m", str(count), "-recv_timeout",
                                                         "10000", target], cpu),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=count / rate * 3 + 60,
                       cwd=workdir)
    cpu_s = children_cpu() - before
    if uas:
        time.sleep(0.5)
        uas_cpu = proc_cpu(uas.pid)
        uas.kill()
        uas.wait()
    return cpu_s + uas_cpu, r.returncode == 0, count


def run_load_generator(scenario, target, rate, count, cpu, extra):
    users = "1000" if scenario == "register" else "100"
    before = children_cpu()
    r = subprocess.run([os.path.join(BIN, "sipring-load"), "--scenario", scenario, "--target", target, "--rate",
                        str(rate), "--count", str(count), "--duration", str(count / rate + 5), "--users", users,
                        "--cpus", str(cpu), "--json"] + extra, capture_output=True, text=True,
                       timeout=count / rate * 3 + 60)
    cpu_s = children_cpu() - before
    out = json.loads(r.stdout)
    ok = r.returncode == 0 and out["completed"] == count
    return cpu_s, ok, out["completed"], out["cpu_us_per_transaction"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--scenarios", default="register,call")
    ap.add_argument("--register-rate", type=int, default=2000)
    ap.add_argument("--register-count", type=int, default=20000)
    ap.add_argument("--call-rate", type=int, default=500)
    ap.add_argument("--call-count", type=int, default=5000)
    ap.add_argument("--load-args", default="", help="more sipring-load arguments, e.g. \"--tick-ms 1\"")
    args = ap.parse_args()
    cpus = sorted(os.sched_getaffinity(0))
    server_cpu, gen_cpu = cpus[0], cpus[1 % len(cpus)]
    print(f"server on CPU {server_cpu}, generator on CPU {gen_cpu}; medians of {args.runs}")
    with tempfile.TemporaryDirectory() as workdir:
        for scenario in args.scenarios.split(","):
            rate = args.register_rate if scenario == "register" else args.call_rate
            count = args.register_count if scenario == "register" else args.call_count
            sipp_us, load_us, load_own = [], [], []
            for run in range(args.runs):
                for gen in ("sipp", "sipring-load"):
                    port = free_port()
                    srv = start_server(workdir, port, server_cpu)
                    try:
                        target = f"127.0.0.1:{port}"
                        if gen == "sipp":
                            cpu_s, ok, done = run_sipp_generator(scenario, target, rate, count, gen_cpu, workdir)
                            sipp_us.append(cpu_s * 1e6 / done)
                        else:
                            cpu_s, ok, done, own = run_load_generator(scenario, target, rate, count, gen_cpu,
                                                                              args.load_args.split())
                            load_us.append(cpu_s * 1e6 / max(done, 1))
                            load_own.append(own)
                        print(f"  {scenario} run {run + 1} {gen}: {cpu_s * 1e6 / max(done, 1):.1f} us/transaction"
                              f"{'' if ok else ' (FAILURES)'}", flush=True)
                    finally:
                        srv.terminate()
                        srv.wait(timeout=10)
            s, l, o = statistics.median(sipp_us), statistics.median(load_us), statistics.median(load_own)
            print(f"{scenario} at {rate}/s x {count}: sipp {s:.1f} us, sipring-load {l:.1f} us "
                  f"(its own measured phase: {o:.1f} us), ratio {l / s:.2f}")


if __name__ == "__main__":
    main()
