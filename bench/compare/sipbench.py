"""Shared parts of the server comparisons in bench/compare/ (python3, standard library only).

Used by bench/compare/run (the side-by-side driver, issue 7) and
bench/compare/cpu_per_transaction.py (sipp-driven server CPU per transaction, issue 5):

  free_port()                  a port free for UDP and TCP on 127.0.0.1
  descendants(pid)             pid and every process below it
  cpu_seconds(pids)            on-CPU seconds of every thread of those processes (schedstat)
  wakeups(pids)                voluntary context switches of every thread
  Child                        a background process in its own session, stopped TERM then KILL
  probe(port, timeout)         does something on 127.0.0.1:port answer a REGISTER over UDP?
  make_pki(dir)                the tests' PKI (tests/support/make_test_pki) in dir
  start_server(name, ...)      sipring / kamailio / floor on loopback, ready to serve
  sipp_argv, run_sipp, write_csv   sipp helpers
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SIPP_DIR = os.path.join(ROOT, "tests", "integration", "sipp")
KAMAILIO_CFG = os.path.join(ROOT, "bench", "compare", "kamailio.cfg")
MAKE_TEST_PKI = os.path.join(ROOT, "tests", "support", "make_test_pki")
SERVERS = ("sipring", "kamailio", "floor")
# Transports each server can serve (the floor is UDP only).
SERVER_TRANSPORTS = {"sipring": ("udp", "tcp", "tls"), "kamailio": ("udp", "tcp", "tls"),
                     "floor": ("udp",)}
# The domain the servers are authoritative for beside localhost / 127.0.0.1, and the name in
# the test PKI's server certificate (sip.a.test.crt, issued by ca-a.crt).
DOMAIN = "a.test"
TLS_SERVER_NAME = "sip.a.test"


class NotServing(Exception):
    """The server started but did not answer SIP (or could not be started)."""


def free_port(avoid=()):
    """A port free for both UDP and TCP on 127.0.0.1 (as far as a bind can tell)."""
    for _ in range(100):
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind(("127.0.0.1", 0))
        port = u.getsockname()[1]
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            if port in avoid:
                continue
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
    """On-CPU seconds of every thread of these processes; and the method used.

    schedstat (ns) when the kernel has it, else utime + stime (ticks). A process or thread that
    ends while it is read is skipped, never a reason to switch methods: mixing the two between
    the readings before and after a run gives nonsense deltas."""
    if not os.path.exists("/proc/self/schedstat"):
        ticks = 0
        for pid in pids:
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])  # utime, stime
            except (OSError, ValueError, IndexError):
                pass
        return ticks / os.sysconf("SC_CLK_TCK"), "stat"
    total_ns = 0
    for pid in pids:
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tids:
            try:
                with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                    total_ns += int(f.read().split()[0])
            except (OSError, ValueError, IndexError):
                continue
    return total_ns / 1e9, "schedstat"


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


def pinned(argv, cpus):
    """argv under `taskset -c cpus` (cpus: an int or a list string such as "0-1"), if any."""
    if cpus is not None and cpus != "" and shutil.which("taskset"):
        return ["taskset", "-c", str(cpus)] + argv
    return argv


class Child:
    """A background process with its output in a file; stopped (TERM, then KILL) on exit.

    Every Child still running is in Child.live, so that a driver can stop them all on Ctrl-C
    or an error (stop_all)."""

    live = []

    def __init__(self, argv, logfile, cpu=None):
        argv = pinned(argv, cpu)
        self.argv = argv
        self.logfile = logfile
        self.out = open(logfile, "wb")
        self.proc = subprocess.Popen(argv, stdout=self.out, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        Child.live.append(self)

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
        if not self.out.closed:
            self.out.close()
        if self in Child.live:
            Child.live.remove(self)
        return self.proc.returncode

    @staticmethod
    def stop_all():
        for c in list(Child.live):
            try:
                c.stop(grace=3.0)
            except Exception as e:  # keep stopping the others
                print(f"could not stop {c.argv[0]} ({c.pid}): {e}", file=sys.stderr)


def run_bounded(argv, logfile, timeout):
    """Runs argv to completion in its own session (killed with its group after `timeout`
    seconds or on KeyboardInterrupt); (exit code or -1 on timeout, stdout text)."""
    with open(logfile, "wb") as err:
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            out, _ = proc.communicate(timeout=timeout)
            return proc.returncode, out.decode(errors="replace")
        except BaseException as e:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            out, _ = proc.communicate()
            if isinstance(e, subprocess.TimeoutExpired):
                return -1, out.decode(errors="replace")
            raise


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


def probe_tcp(port, timeout):
    """True when 127.0.0.1:port accepts a TCP connection within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def make_pki(directory):
    """The tests' PKI in `directory` (sip.a.test.crt/.key, ca-a.crt ...); the directory."""
    rc = subprocess.run([MAKE_TEST_PKI, directory], stdout=subprocess.DEVNULL,
                        stderr=subprocess.PIPE, timeout=120)
    if rc.returncode != 0:
        raise RuntimeError(f"make_test_pki failed: {rc.stderr.decode(errors='replace')[-300:]}")
    return directory


# --- servers --------------------------------------------------------------------------------


class Server:
    """A started server: its Child, its ports by transport and its name."""

    def __init__(self, name, child, ports):
        self.name, self.child, self.ports = name, child, ports

    def pids(self):
        return descendants(self.child.pid)

    def cpu(self):
        return cpu_seconds(self.pids())[0]

    def alive(self):
        return self.child.proc.poll() is None

    def stop(self):
        return self.child.stop()


def sipring_config(ports, cpus, pki=None, coalesce_us=0, level="warn"):
    """The TOML text of a sipring serving `ports` ({transport: port}) on `cpus`."""
    text = ("# written by bench/compare/sipbench.py\n"
            "[server]\n"
            f'domains = ["localhost", "127.0.0.1", "{DOMAIN}"]\n'
            f'cpus = "{cpus}"\n\n')
    for transport, port in ports.items():
        text += f'[[listen]]\ntransport = "{transport}"\naddress = "127.0.0.1:{port}"\n\n'
    if "tls" in ports:
        text += (f'[tls]\ncertificate = "{pki}/sip.a.test.crt"\n'
                 f'private_key = "{pki}/sip.a.test.key"\n\n')
    text += f'[log]\nlevel = "{level}"\n'
    if coalesce_us > 0:
        text += f"\n[runtime]\ncoalesce_window_us = {coalesce_us}\n"
    return text


def kamailio_tls_cfg(pki):
    return ("# written by bench/compare/sipbench.py: Kamailio's tls module configuration\n"
            "[server:default]\n"
            "method = TLSv1.2+\n"
            "verify_certificate = no\n"
            "require_certificate = no\n"
            f"certificate = {pki}/sip.a.test.crt\n"
            f"private_key = {pki}/sip.a.test.key\n"
            f"ca_list = {pki}/ca-a.crt\n\n"
            "[client:default]\n"
            "method = TLSv1.2+\n"
            "verify_certificate = no\n"
            "require_certificate = no\n")


def start_server(name, *, bin_dir, workdir, transports=("udp",), cpus=None, shards_cpus=None,
                 uas_port=None, pki=None, coalesce_us=0):
    """Starts `name` on 127.0.0.1 serving `transports` (UDP and TCP share one port, TLS has its
    own); pinned to `cpus` (taskset list, or None). sipring runs one shard per CPU of
    `shards_cpus` (default: cpus, or "0"). The floor relays non-REGISTER requests to
    127.0.0.1:uas_port. Returns a Server once it answers SIP; raises NotServing."""
    logfile = os.path.join(workdir, f"{name}.log")
    transports = [t for t in transports if t in SERVER_TRANSPORTS[name]]
    if not transports:
        raise NotServing("no supported transport")
    port = free_port()
    ports = {}
    for t in transports:
        ports[t] = free_port(avoid=(port,)) if t == "tls" else port
    if "tls" in ports and pki is None:
        raise NotServing("TLS needs the test PKI")
    if name == "floor":
        binary = os.path.join(bin_dir, "sipring-sip-floor")
        if not os.access(binary, os.X_OK):
            raise NotServing("not built")
        child = Child([binary, "--listen", f"127.0.0.1:{port}", "--target",
                       f"127.0.0.1:{uas_port or 9}", "--max-seconds", "3600"], logfile, cpus)
        if not child.wait_output("sip-floor: serving", 10):
            child.stop()
            raise NotServing("did not start")
    elif name == "kamailio":
        binary = shutil.which("kamailio") or "/usr/sbin/kamailio"
        if not os.access(binary, os.X_OK):
            raise NotServing("not installed")
        rundir = os.path.join(workdir, "kamailio-run")
        os.makedirs(rundir, exist_ok=True)
        argv = [binary, "-f", KAMAILIO_CFG, "-DD", "-E", "-x", "tlsf", "-b", "4194304",
                "-m", "256", "-M", "16", "-Y", rundir, "-w", rundir,
                "-l", f"udp:127.0.0.1:{port}", "-l", f"tcp:127.0.0.1:{port}",
                f"--alias=localhost:{port}", f"--alias={DOMAIN}"]
        if "tls" in ports:
            tls_cfg = os.path.join(workdir, "kamailio-tls.cfg")
            with open(tls_cfg, "w") as f:
                f.write(kamailio_tls_cfg(pki))
            argv += ["-A", "WITH_TLS", "-A", f'TLS_CFG="{tls_cfg}"',
                     "-l", f"tls:127.0.0.1:{ports['tls']}"]
        child = Child(argv, logfile, cpus)
    elif name == "sipring":
        binary = os.path.join(bin_dir, "sipring")
        if not os.access(binary, os.X_OK):
            raise NotServing("not built")
        config = os.path.join(workdir, "sipring.toml")
        shard_cpus = shards_cpus or (cpus if cpus is not None else "0")
        with open(config, "w") as f:
            f.write(sipring_config(ports, shard_cpus, pki, coalesce_us))
        child = Child([binary, "--config", config], logfile, cpus)
        if not child.wait_output("sipring: running", 15):
            child.stop()
            raise NotServing("did not start: " + child.output()[-300:].strip())
    else:
        raise ValueError(name)
    ok = probe(port, 10 if name == "kamailio" else 3) if "udp" in ports else True
    if ok and "tls" in ports:
        ok = probe_tcp(ports["tls"], 5)
    if not ok:
        out = child.output()[-300:].strip()
        child.stop()
        raise NotServing("not serving" + (f": {out}" if out else ""))
    return Server(name, child, ports)


# --- sipp -----------------------------------------------------------------------------------


def sipp_argv(scenario_file, local_port, extra, cpu):
    argv = ["sipp", "-sf", os.path.join(SIPP_DIR, scenario_file), "-t", "u1", "-i", "127.0.0.1",
            "-p", str(local_port), "-nostdin", "-buff_size", str(4 << 20)] + extra
    return pinned(argv, cpu)


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
        proc = subprocess.Popen(argv + ["-trace_stat", "-stf", stat_file, "-fd", "1"],
                                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
        try:
            rc = proc.wait(timeout=timeout)
        except BaseException as e:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
            if not isinstance(e, subprocess.TimeoutExpired):
                raise
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
