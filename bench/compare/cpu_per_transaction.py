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

Every child runs under a timeout; every loop is bounded by count and time.

  bench/compare/cpu_per_transaction.py                      # all servers, all scenarios, 1 run
  bench/compare/cpu_per_transaction.py --runs 3             # medians of 3
  bench/compare/cpu_per_transaction.py --quick              # a short sanity pass
  bench/compare/cpu_per_transaction.py --servers kamailio,floor --scenarios register --rate 1000
"""

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SIPP_DIR = os.path.join(ROOT, "tests", "integration", "sipp")
KAMAILIO_CFG = os.path.join(ROOT, "bench", "compare", "kamailio.cfg")

SERVERS = ("sipring", "kamailio", "floor")
SCENARIOS = {
    # name: (sipp file, needs a UAS, default rate, default count, unit)
    "register": ("register.xml", False, 2000, 20000, "REGISTER"),
    "message": ("message.xml", True, 2000, 20000, "MESSAGE"),
    "call": ("uac_call.xml", True, 500, 5000, "call"),
}
UAS_USER = "uas"
REGISTER_USERS = 1000


class NotServing(Exception):
    """The server started but did not answer SIP (or could not be started)."""


def log(args, *parts):
    if args.verbose:
        print("  [" + " ".join(str(p) for p in parts) + "]", file=sys.stderr, flush=True)


def free_port():
    """A port free for both UDP and TCP on 127.0.0.1 (as far as a bind can tell)."""
    for _ in range(100):
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind(("127.0.0.1", 0))
        port = u.getsockname()[1]
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            t.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
        finally:
            t.close()
            u.close()
    raise RuntimeError("no free port")


# --- CPU time -------------------------------------------------------------------------------


def descendants(pid):
    """pid and every process below it (one walk over /proc)."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo and len(out) < 10000:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def cpu_seconds(pids):
    """On-CPU seconds of every thread of these processes; and the method used."""
    total_ns, ok = 0, True
    for pid in pids:
        try:
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                    total_ns += int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            ok = False
            break
    if ok:
        return total_ns / 1e9, "schedstat"
    ticks = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, ValueError, IndexError):
            pass
    return ticks / os.sysconf("SC_CLK_TCK"), "stat"


def wakeups(pids):
    """Voluntary context switches (sleeps, hence wake-ups) of every thread of these processes."""
    total = 0
    for pid in pids:
        try:
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/status") as f:
                    for line in f:
                        if line.startswith("voluntary_ctxt_switches:"):
                            total += int(line.split()[1])
        except (OSError, ValueError):
            pass
    return total


# --- children -------------------------------------------------------------------------------


class Child:
    """A background process with its output in a file; stopped (TERM, then KILL) on exit."""

    def __init__(self, argv, logfile, cpu=None):
        if cpu is not None and shutil.which("taskset"):
            argv = ["taskset", "-c", str(cpu)] + argv
        self.argv = argv
        self.logfile = logfile
        self.out = open(logfile, "wb")
        self.proc = subprocess.Popen(argv, stdout=self.out, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)

    @property
    def pid(self):
        return self.proc.pid

    def output(self):
        self.out.flush()
        try:
            with open(self.logfile, "rb") as f:
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    def wait_output(self, needle, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.output():
                return True
            if self.proc.poll() is not None:
                return needle in self.output()
            time.sleep(0.05)
        return False

    def stop(self, grace=5.0):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=grace)
        self.out.close()
        return self.proc.returncode


def probe(port, timeout):
    """True when something on 127.0.0.1:port answers a REGISTER within `timeout` seconds."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    s.settimeout(0.2)
    me = s.getsockname()[1]
    deadline = time.monotonic() + timeout
    n = 0
    try:
        while time.monotonic() < deadline and n < 100:
            n += 1
            msg = (f"REGISTER sip:127.0.0.1:{port} SIP/2.0\r\n"
                   f"Via: SIP/2.0/UDP 127.0.0.1:{me};branch=z9hG4bK-probe-{os.getpid()}-{n}\r\n"
                   "Max-Forwards: 70\r\n"
                   f"From: <sip:probe@127.0.0.1>;tag=probe{n}\r\n"
                   "To: <sip:probe@127.0.0.1>\r\n"
                   f"Call-ID: probe-{os.getpid()}-{n}@127.0.0.1\r\n"
                   f"CSeq: {n} REGISTER\r\n"
                   f"Contact: <sip:probe@127.0.0.1:{me}>\r\n"
                   "Expires: 0\r\n"
                   "Content-Length: 0\r\n\r\n")
            s.sendto(msg.encode(), ("127.0.0.1", port))
            try:
                data, _ = s.recvfrom(65536)
                if data.startswith(b"SIP/2.0 "):
                    return True
            except socket.timeout:
                continue
        return False
    finally:
        s.close()


# --- servers --------------------------------------------------------------------------------


def start_server(name, args, workdir, port, uas_port, cpu):
    logfile = os.path.join(workdir, f"{name}.log")
    if name == "floor":
        binary = os.path.join(args.bin_dir, "sipring-sip-floor")
        if not os.access(binary, os.X_OK):
            raise NotServing("not built")
        child = Child([binary, "--listen", f"127.0.0.1:{port}", "--target",
                       f"127.0.0.1:{uas_port}", "--max-seconds", "3600"], logfile, cpu)
        if not child.wait_output("sip-floor: serving", 10):
            child.stop()
            raise NotServing("did not start")
        return child
    if name == "kamailio":
        binary = shutil.which("kamailio") or "/usr/sbin/kamailio"
        if not os.access(binary, os.X_OK):
            raise NotServing("not installed")
        rundir = os.path.join(workdir, "kamailio-run")
        os.makedirs(rundir, exist_ok=True)
        child = Child([binary, "-f", KAMAILIO_CFG, "-DD", "-E", "-x", "tlsf", "-b", "4194304",
                       "-m", "256", "-M", "16", "-Y", rundir, "-w", rundir,
                       "-l", f"udp:127.0.0.1:{port}", "-l", f"tcp:127.0.0.1:{port}",
                       f"--alias=localhost:{port}"], logfile, cpu)
    elif name == "sipring":
        binary = os.path.join(args.bin_dir, "sipring")
        if not os.access(binary, os.X_OK):
            raise NotServing("not built")
        config = os.path.join(workdir, "sipring.toml")
        with open(config, "w") as f:
            f.write("# written by bench/compare/cpu_per_transaction.py\n"
                    "[server]\n"
                    'domains = ["localhost", "127.0.0.1"]\n'
                    f'cpus = "{cpu if cpu is not None else 0}"\n\n'
                    "[[listen]]\n"
                    'transport = "udp"\n'
                    f'address = "127.0.0.1:{port}"\n\n'
                    "[log]\n"
                    'level = "warn"\n')
            if args.coalesce_us > 0:
                f.write(f"\n[runtime]\ncoalesce_window_us = {args.coalesce_us}\n")
        child = Child([binary, "--config", config], logfile, cpu)
        if not child.wait_output("sipring: running", 15):
            child.stop()
            raise NotServing("did not start")
    else:
        raise ValueError(name)
    if not probe(port, 10 if name == "kamailio" else 3):
        child.stop()
        raise NotServing("not serving")
    return child


# --- sipp -----------------------------------------------------------------------------------


def sipp_argv(scenario_file, local_port, extra, cpu):
    argv = ["sipp", "-sf", os.path.join(SIPP_DIR, scenario_file), "-t", "u1", "-i", "127.0.0.1",
            "-p", str(local_port), "-nostdin", "-buff_size", str(4 << 20)] + extra
    if cpu is not None and shutil.which("taskset"):
        argv = ["taskset", "-c", str(cpu)] + argv
    return argv


def read_stat_csv(path):
    """(successful, failed) from the last line of sipp's -trace_stat file, or None."""
    try:
        with open(path) as f:
            lines = [l for l in f.read().splitlines() if l.strip()]
    except OSError:
        return None
    if len(lines) < 2:
        return None
    head = lines[0].split(";")
    last = lines[-1].split(";")
    try:
        return (int(last[head.index("SuccessfulCall(C)")]), int(last[head.index("FailedCall(C)")]))
    except (ValueError, IndexError):
        return None


def run_sipp(argv, stat_file, timeout, workdir, tag):
    """Runs sipp to completion (bounded); (exit code, successful, failed)."""
    logfile = os.path.join(workdir, f"sipp-{tag}.log")
    with open(logfile, "wb") as out:
        try:
            rc = subprocess.run(argv + ["-trace_stat", "-stf", stat_file, "-fd", "1"],
                                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            rc = -1
    counts = read_stat_csv(stat_file)
    if counts is None:
        return rc, 0, 0
    return rc, counts[0], counts[1]


def write_csv(path, users):
    with open(path, "w") as f:
        f.write("SEQUENTIAL\n")
        for u in users:
            f.write(f"{u};\n")


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
    uas = None
    try:
        pids = descendants(srv.pid)
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
        pids = descendants(srv.pid)
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
        if srv.proc.poll() is not None:
            raise NotServing(f"exited during the run ({srv.proc.returncode})")
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
