#!/usr/bin/env python3
"""Server CPU per SIP transaction: sipring against Kamailio and a kernel floor (issue 5).

For each server and each scenario, this script starts the server on 127.0.0.1 (free ports),
registers and starts a sipp UAS where the scenario needs one, runs a sipp UAC at a fixed rate
for a fixed number of calls, and reads the server's CPU time before and after the run. It
prints microseconds of server CPU per call, the failed calls, and the ratios against the floor
and against Kamailio. With --runs N every cell is run N times and the medians are printed.

Servers:
  sipring   build/bin/sipring with a configuration written here (one shard on the server CPU,
            one UDP listener, domains localhost and 127.0.0.1). Until sipring answers SIP its
            column says "not serving".
  kamailio  /usr/sbin/kamailio with bench/compare/kamailio.cfg: one UDP worker (children=1),
            TLSF shared memory, 4 MiB UDP receive buffer, in the foreground. Its CPU is the sum
            over the main process and every process it forked (receivers, timers, TCP main).
  floor     build/bin/sipring-sip-floor: canned 200 for REGISTER, relay by one Via; no SIP
            logic (bench/compare/sip_floor.cc).

Scenarios (sipp files in tests/integration/sipp/, all over UDP):
  register  register.xml: REGISTER -> 200, users u0..u999 in turn (the load registers and
            refreshes bindings). Per call: one REGISTER transaction.
  message   message.xml: MESSAGE relayed to a registered uas.xml endpoint -> 200.
  call      uac_call.xml: INVITE -> 100/180 -> 200 -> ACK -> BYE -> 200 relayed to a registered
            uas.xml endpoint (record-routed: ACK and BYE also pass the server).

CPU time: the sum of the server's tasks' on-CPU time in /proc/PID/task/TID/schedstat
(nanoseconds; every thread of every process of the server), or, where schedstat is missing,
utime + stime of /proc/PID/stat (clock ticks). It is read once the server is ready and the UAS
registered, and again --settle seconds after the UAC ends (retransmission and clean-up timers
inside that window are counted). With two or more CPUs the server is pinned (taskset) to the
first allowed CPU and both sipp processes to the second.

Every child runs under a timeout; every loop is bounded by count and time. Server start and CPU
reading are shared with bench/compare/run (bench/compare/sipbench.py), which drives the same
servers with sipring-load over UDP, TCP and TLS.

  bench/compare/cpu_per_transaction.py                      # all servers, all scenarios, 1 run
  bench/compare/cpu_per_transaction.py --runs 3             # medians of 3
  bench/compare/cpu_per_transaction.py --quick              # a short sanity pass
  bench/compare/cpu_per_transaction.py --servers kamailio,floor --scenarios register --rate 1000
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sipbench import (ROOT, SERVERS, Child, NotServing, cpu_seconds,  # noqa: E402
                      free_port, run_sipp, sipp_argv, start_server as start_any, wakeups,
                      write_csv)

SCENARIOS = {
    # name: (sipp file, needs a UAS, default rate, default count, unit)
    "register": ("register.xml", False, 2000, 20000, "REGISTER"),
    "message": ("message.xml", True, 2000, 20000, "MESSAGE"),
    "call": ("uac_call.xml", True, 500, 5000, "call"),
}
UAS_USER = "uas"
REGISTER_USERS = 1000


def log(args, *parts):
    if args.verbose:
        print("  [" + " ".join(str(p) for p in parts) + "]", file=sys.stderr, flush=True)


def start_server(name, args, workdir, port, uas_port, cpu):
    """The server on UDP (sipbench.start_server picks its own port: `port` is ignored)."""
    del port
    return start_any(name, bin_dir=args.bin_dir, workdir=workdir, transports=("udp",),
                       cpus=cpu, uas_port=uas_port, coalesce_us=args.coalesce_us)


# --- one measurement ------------------------------------------------------------------------


def measure(server, scenario, args, workdir, server_cpu, sipp_cpu):
    """One run: dict(us=..., ok=..., failed=..., rc=...) or raises NotServing."""
    sfile, needs_uas, rate, count, _ = SCENARIOS[scenario]
    rate = args.rate or rate
    count = args.count or count
    if args.quick:
        rate, count = min(rate, 1000), min(count, 2000)
    port, uas_port, uac_port = free_port(), free_port(), free_port()
    srv = start_server(server, args, workdir, port, uas_port, server_cpu)
    port = srv.ports["udp"]
    uas = None
    try:
        pids = srv.pids()
        if needs_uas:
            if server != "floor":  # a registrar: bind UAS_USER to the UAS port first
                csv = os.path.join(workdir, "uas.csv")
                write_csv(csv, [UAS_USER])
                rc, ok, _ = run_sipp(
                    sipp_argv("register.xml", uas_port,
                              ["-inf", csv, "-m", "1", "-recv_timeout", "5000",
                               f"127.0.0.1:{port}"], sipp_cpu),
                    os.path.join(workdir, "uas-register.csv"), 20, workdir, "uas-register")
                if ok != 1:
                    raise NotServing(f"UAS registration failed (sipp {rc})")
            uas = Child(sipp_argv("uas.xml", uas_port, ["-s", UAS_USER], sipp_cpu),
                        os.path.join(workdir, "sipp-uas.log"))
            time.sleep(0.3)
        extra = ["-r", str(rate), "-m", str(count), "-recv_timeout", "10000",
                 "-timeout", f"{int(count / rate * 3) + 30}s"]
        if scenario == "register":
            csv = os.path.join(workdir, "users.csv")
            write_csv(csv, [f"u{i}" for i in range(REGISTER_USERS)])
            extra += ["-inf", csv]
        else:
            extra += ["-s", UAS_USER]
        time.sleep(0.2)
        pids = srv.pids()
        before, method = cpu_seconds(pids)
        wakes_before = wakeups(pids)
        t0 = time.monotonic()
        rc, ok, failed = run_sipp(
            sipp_argv(sfile, uac_port, extra + [f"127.0.0.1:{port}"], sipp_cpu),
            os.path.join(workdir, f"uac-{server}-{scenario}.csv"),
            count / rate * 3 + 60, workdir, f"uac-{server}-{scenario}")
        wall = time.monotonic() - t0
        time.sleep(args.settle)
        after, _ = cpu_seconds(pids)
        wakes = wakeups(pids) - wakes_before
        if srv.child.proc.poll() is not None:
            raise NotServing(f"exited during the run ({srv.child.proc.returncode})")
        cpu = after - before
        return {"us": cpu * 1e6 / ok if ok else float("nan"), "ok": ok, "failed": failed,
                "rc": rc, "cpu_s": cpu, "wall_s": wall, "method": method,
                "calls_per_wake": ok / wakes if wakes else float("nan")}
    finally:
        if uas:
            uas.stop()
        srv.stop()


# --- report ---------------------------------------------------------------------------------


def fmt_us(v):
    if v is None or v != v:
        return "-"
    return f"{v:.1f}" if v < 100 else f"{v:.0f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--servers", default=",".join(SERVERS))
    ap.add_argument("--scenarios", default=",".join(SCENARIOS))
    ap.add_argument("--rate", type=int, default=0, help="calls/s for every scenario "
                    "(default: register 2000, message 2000, call 500)")
    ap.add_argument("--count", type=int, default=0, help="calls per run (default: 10 s of calls)")
    ap.add_argument("--runs", type=int, default=1, help="runs per cell; medians are printed")
    ap.add_argument("--quick", action="store_true",
                    help="sanity mode: at most 1000 calls/s and 2000 calls, one run")
    ap.add_argument("--settle", type=float, default=0.5,
                    help="seconds after the UAC ends before the second CPU reading")
    ap.add_argument("--pin", choices=("split", "same", "none"), default="split",
                    help="split: server on the first allowed CPU, sipp on the second (when "
                    "there are two); same: all on the first; none: no taskset")
    ap.add_argument("--coalesce-us", type=int, default=0,
                    help="sipring's [runtime] coalesce_window_us (wake-up coalescing); 0: off")
    ap.add_argument("--bin-dir", default=os.path.join(ROOT, "build", "bin"))
    ap.add_argument("--keep", action="store_true", help="keep the work directory (logs)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    servers = [s for s in args.servers.split(",") if s]
    scenarios = [s for s in args.scenarios.split(",") if s]
    for s in servers:
        if s not in SERVERS:
            ap.error(f"unknown server {s!r} (use {', '.join(SERVERS)})")
    for s in scenarios:
        if s not in SCENARIOS:
            ap.error(f"unknown scenario {s!r} (use {', '.join(SCENARIOS)})")
    if args.quick:
        args.runs = 1
    args.runs = max(1, min(args.runs, 20))
    if not shutil.which("sipp"):
        sys.exit("sipp not found (Debian: apt-get install sip-tester)")

    cpus = sorted(os.sched_getaffinity(0))
    if args.pin == "split" and len(cpus) >= 2:
        server_cpu, sipp_cpu = cpus[0], cpus[1]
    elif args.pin == "same":
        server_cpu, sipp_cpu = cpus[0], cpus[0]
    else:
        server_cpu, sipp_cpu = None, None
    workdir = tempfile.mkdtemp(prefix="sipring-cpu-")
    print(f"server CPU per transaction; server on CPU {server_cpu}, sipp on CPU {sipp_cpu}; "
          f"{args.runs} run(s) per cell; work directory {workdir}", flush=True)

    results = {}  # (server, scenario) -> list of runs, or a string (why none)
    method = None
    for scenario in scenarios:
        for server in servers:
            runs = []
            for i in range(args.runs):
                try:
                    r = measure(server, scenario, args, workdir, server_cpu, sipp_cpu)
                except NotServing as e:
                    runs = str(e)
                    break
                method = r["method"]
                runs.append(r)
                print(f"  {scenario:8} {server:8} run {i + 1}: {fmt_us(r['us'])} us/call, "
                      f"{r['ok']} ok, {r['failed']} failed, sipp exit {r['rc']}, "
                      f"{r['calls_per_wake']:.2f} calls/wake-up, "
                      f"server CPU {r['cpu_s']:.3f} s in {r['wall_s']:.1f} s", flush=True)
            if isinstance(runs, str):
                print(f"  {scenario:8} {server:8}: {runs}", flush=True)
            results[(server, scenario)] = runs

    def median_us(server, scenario):
        runs = results.get((server, scenario))
        if not runs or isinstance(runs, str):
            return None
        vals = [r["us"] for r in runs if r["us"] == r["us"]]
        return statistics.median(vals) if vals else None

    print()
    print(f"Server CPU per call, µs (median of {args.runs}; CPU from {method or '-'}):")
    print()
    head = ["scenario"] + [f"{s} µs" for s in servers] + [f"{s} failed" for s in servers]
    ratios = []
    if "floor" in servers:
        ratios += [(s, "floor") for s in servers if s != "floor"]
    if "kamailio" in servers:
        ratios += [(s, "kamailio") for s in servers if s not in ("kamailio", "floor")]
    head += [f"{a}/{b}" for a, b in ratios]
    print("| " + " | ".join(head) + " |")
    print("|" + " --- |" * len(head))
    for scenario in scenarios:
        row = [f"{scenario} (per {SCENARIOS[scenario][4]})"]
        for s in servers:
            runs = results.get((s, scenario))
            row.append(runs if isinstance(runs, str) else fmt_us(median_us(s, scenario)))
        for s in servers:
            runs = results.get((s, scenario))
            if isinstance(runs, str) or not runs:
                row.append("-")
            else:
                row.append(str(int(statistics.median([r["failed"] for r in runs]))))
        for a, b in ratios:
            x, y = median_us(a, scenario), median_us(b, scenario)
            row.append(f"{x / y:.2f}×" if x and y else "-")
        print("| " + " | ".join(row) + " |")
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
