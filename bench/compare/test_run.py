#!/usr/bin/env python3
"""Checks of bench/compare/run without servers: --help, and its reading of sipring-load's JSON
report (canned), the "under 0.1% failures" rule, the table and its n/a cells. Run by ctest
(compare_driver) or directly."""

import importlib.machinery
import importlib.util
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
RUN = os.path.join(HERE, "run")
loader = importlib.machinery.SourceFileLoader("compare_run", RUN)
spec = importlib.util.spec_from_loader("compare_run", loader)
run = importlib.util.module_from_spec(spec)
loader.exec_module(run)

CANNED = ('progress line\n{"scenario":"register","transport":"udp","target":"127.0.0.1:5060",'
          '"duration_s":2.002,"started":3999,"completed":3996,"failed":{"timeout":3,"status":0,'
          '"transport":0},"statuses":{"200":3996},"offered_rate":1997.5,"achieved_rate":1996.0,'
          '"latency_us":{"p50":319,"p90":1343,"p99":3583,"p999":5187,"max":5187},'
          '"cpu_us_per_transaction":82.8,"steps":[{"offered_rate":1997.5,"achieved_rate":1996.0,'
          '"completed":3996,"failed":3,"p99_us":3583}]}\n')


class DriverTest(unittest.TestCase):
    def test_help(self):
        out = subprocess.run([sys.executable, RUN, "--help"], capture_output=True, text=True,
                             timeout=30)
        self.assertEqual(out.returncode, 0, out.stderr)
        for word in ("--quick", "--scaling", "--servers", "--scenarios", "--transports"):
            self.assertIn(word, out.stdout)

    def test_bad_option(self):
        out = subprocess.run([sys.executable, RUN, "--servers", "asterisk"], capture_output=True,
                             text=True, timeout=30)
        self.assertEqual(out.returncode, 2)
        self.assertIn("unknown server", out.stderr)

    def test_parse_report(self):
        r = run.parse_report(CANNED)
        self.assertEqual(r["completed"], 3996)
        self.assertEqual(run.failures(r), 3)
        self.assertTrue(run.passes(r))  # 3 / 3999 < 0.1%
        self.assertIsNone(run.parse_report("sipring-load: unknown scenario\n"))

    def test_failure_limit(self):
        self.assertFalse(run.passes({"completed": 999, "failed": {"timeout": 1}}))   # 0.1%
        self.assertTrue(run.passes({"completed": 9991, "failed": {"timeout": 9}}))   # 0.09%
        self.assertFalse(run.passes({"completed": 0, "failed": 0}))
        steps = [{"offered_rate": 2000, "completed": 4000, "failed": 0},
                 {"offered_rate": 4000, "completed": 8000, "failed": 2},
                 {"offered_rate": 8000, "completed": 9000, "failed": 700}]
        self.assertEqual(run.max_rate(steps), (4000, False))
        self.assertEqual(run.max_rate(steps[:2]), (4000, True))

    def test_table(self):
        cell = {"server": "sipring", "scenario": "register", "transport": "udp", "status": "ok",
                "us_per_transaction": 20.0, "max_rate": 8000, "max_rate_bounded": True,
                "p99_us": 1500, "ref_rate": 2000}
        kam = dict(cell, server="kamailio", us_per_transaction=40.0, max_rate=4000)
        floor = {"server": "floor", "scenario": "register", "transport": "tls",
                 "status": "n/a (floor has no TLS)"}
        text = run.table([cell, kam, floor], ["sipring", "kamailio", "floor"], ["register"],
                         ["udp", "tls"], [])
        self.assertIn("| register (per REGISTER) | UDP | 20.0 | 8,000/s | 1.5 ms | 40.0 |", text)
        self.assertIn("0.50×", text)
        self.assertIn("2.00×", text)
        self.assertIn("n/a (floor has no TLS)", text)


if __name__ == "__main__":
    unittest.main()
