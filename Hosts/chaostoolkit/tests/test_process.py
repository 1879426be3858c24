"""One plugin process per Python process: found, started once, started again after it died, saying so."""

from __future__ import annotations

import os
import signal
import threading
import unittest
from typing import List
from unittest import mock

from chaoslib.exceptions import ActivityFailed
from chaosprometheus import _plugin, metrics, probes

from support import CONFIGURATION, kill_plugin, wait_until


class ProcessTests(unittest.TestCase):
    def test_calls_share_one_plugin_process_in_a_session_of_its_own(self) -> None:
        probes.query_value("vector(1)", configuration=CONFIGURATION)
        first = _plugin.plugin_process()
        probes.query_value("vector(2)", configuration=CONFIGURATION)
        self.assertIs(_plugin.plugin_process(), first)
        # Its own session, so a Ctrl-C at the terminal (the foreground process group) does not reach it.
        self.assertEqual(os.getsid(first.pid), first.pid)
        self.assertNotEqual(os.getpgid(first.pid), os.getpgid(0))

    def test_at_exit_the_plugin_is_shut_down_and_exits_with_status_0(self) -> None:
        probes.query_value("vector(1)", configuration=CONFIGURATION)
        process = _plugin.plugin_process()
        _plugin._connection.close()  # what atexit runs
        # Status 0: `exit` came after `shutdown` (protocol.md); without `shutdown` it would be 1.
        self.assertEqual(process._process.returncode, 0)
        self.assertIsNot(_plugin.plugin_process(), process)

    def test_after_the_plugin_died_the_next_call_starts_another_and_the_log_says_so(self) -> None:
        probes.query_value("vector(1)", configuration=CONFIGURATION)
        dead = kill_plugin()
        with self.assertLogs("chaostoolkit", level="WARNING") as log:
            self.assertEqual(probes.query_value("vector(3)", configuration=CONFIGURATION), 3)
        self.assertNotEqual(_plugin.plugin_process().pid, dead)
        self.assertIn(f"(pid {dead}) was killed by SIGKILL; starting a new plugin process", "\n".join(log.output))

    def test_a_call_in_flight_when_the_plugin_dies_fails_with_its_exit_status(self) -> None:
        outcome: List[BaseException] = []

        def waiting() -> None:
            try:
                probes.wait_for_threshold(
                    "vector(0)", ">", 1, timeout="60s", interval="1s", configuration=CONFIGURATION
                )
            except BaseException as failure:
                outcome.append(failure)

        probes.query_value("vector(1)", configuration=CONFIGURATION)
        caller = threading.Thread(target=waiting)
        caller.start()
        process = _plugin.plugin_process()
        wait_until(lambda: len(process._pending) == 1, "the wait to be in flight")
        kill_plugin()
        caller.join(timeout=10)
        self.assertFalse(caller.is_alive())
        self.assertEqual(len(outcome), 1)
        self.assertIsInstance(outcome[0], ActivityFailed)
        self.assertIn("was killed by SIGKILL", str(outcome[0]))

    def test_a_metrics_control_whose_plugin_died_fails_its_next_hook_clearly(self) -> None:
        metrics.configure_control({"title": "an experiment"}, pushgateway_url="http://127.0.0.1:1")
        kill_plugin()
        with self.assertLogs("chaostoolkit", level="ERROR") as log, self.assertRaises(ActivityFailed) as raised:
            metrics.after_experiment_control({"status": "completed", "deviated": False, "duration": 1.0})
        self.assertIn("this run's metrics cannot be pushed", str(raised.exception))
        self.assertIn("this run's metrics cannot be pushed", "\n".join(log.output))

    def test_a_missing_plugin_names_both_places_it_was_looked_for(self) -> None:
        environment = {"PATH": "/nonexistent"}
        with mock.patch.dict(os.environ, environment, clear=False):
            os.environ.pop(_plugin.EXECUTABLE_VARIABLE, None)
            with self.assertRaises(ActivityFailed) as raised:
                _plugin._locate()
        self.assertIn("CHAOSTOOLKIT_PROMETHEUS_PLUGIN", str(raised.exception))
        self.assertIn("chaostoolkit-prometheus on the PATH", str(raised.exception))

    def test_a_variable_naming_no_executable_says_what_it_names(self) -> None:
        with mock.patch.dict(os.environ, {_plugin.EXECUTABLE_VARIABLE: "/nonexistent/plugin"}):
            with self.assertRaises(ActivityFailed) as raised:
                _plugin._locate()
        self.assertIn("/nonexistent/plugin, which is not an executable file", str(raised.exception))

    def test_the_plugins_log_lines_reach_the_chaostoolkit_logger_at_their_level(self) -> None:
        with mock.patch.dict(os.environ, {"CHAOSTOOLKIT_PROMETHEUS_LOG_LEVEL": "info"}):
            kill_plugin()
            with self.assertLogs("chaostoolkit", level="INFO") as log:
                with self.assertRaises(ActivityFailed):
                    probes.query("rate(up[", configuration=CONFIGURATION)
                wait_until(lambda: any("activity 'query' failed" in line for line in log.output), "the log line")
        line = next(line for line in log.output if "activity 'query' failed" in line)
        self.assertTrue(line.startswith("INFO:chaostoolkit:chaostoolkit-prometheus: "), line)


class InterruptionTests(unittest.TestCase):
    """A Ctrl-C may land anywhere in a call; the stream to the plugin must stay whole, and no caller may hang."""

    def test_a_ctrl_c_between_two_parts_of_a_large_request_still_sends_it_whole(self) -> None:
        # A large line leaves in several writes, and Python checks for a Ctrl-C between them. Here the second write
        # is interrupted, as a signal checked just before it would be; a torn line would join the next request and
        # the plugin could answer neither.
        real_write = os.write
        writes = 0

        def partial_then_interrupted(descriptor: int, data: bytes) -> int:
            nonlocal writes
            writes += 1
            if writes == 2:
                raise KeyboardInterrupt
            return real_write(descriptor, data[:65536])

        probes.query_value("vector(1)", configuration=CONFIGURATION)
        with mock.patch.object(_plugin.os, "write", partial_then_interrupted):
            with self.assertRaises(KeyboardInterrupt):
                probes.query("x" * 300_000, configuration=CONFIGURATION)
        self.assertGreater(writes, 3)  # the line was finished after the interruption, then the cancellation sent
        answers: List[float] = []
        follower = threading.Thread(
            target=lambda: answers.append(probes.query_value("vector(9)", configuration=CONFIGURATION)))
        follower.start()
        follower.join(timeout=20)
        self.assertFalse(follower.is_alive(), "the next call hung: the interrupted line was torn")
        self.assertEqual(answers, [9])

    def test_a_line_the_plugin_cannot_read_fails_the_calls_in_flight_instead_of_leaving_them_waiting(self) -> None:
        outcome: List[BaseException] = []

        def waiting() -> None:
            try:
                probes.wait_for_threshold("vector(0)", ">", 1, timeout="60s", interval="1s", configuration=CONFIGURATION)
            except BaseException as failure:
                outcome.append(failure)

        probes.query_value("vector(1)", configuration=CONFIGURATION)
        process = _plugin.plugin_process()
        caller = threading.Thread(target=waiting)
        caller.start()
        wait_until(lambda: len(process._pending) == 1, "the wait to be in flight")
        process._write(b'{"jsonrpc": "2.0", "id": \n')  # what a bug in the adapter could send: no id to answer
        caller.join(timeout=20)
        self.assertFalse(caller.is_alive())
        self.assertEqual(len(outcome), 1)
        self.assertIn("the plugin could not read a request", str(outcome[0]))
        self.assertEqual(probes.query_value("vector(2)", configuration=CONFIGURATION), 2)

if __name__ == "__main__":
    unittest.main()
