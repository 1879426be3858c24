"""Failures reach chaoslib as ActivityFailed with the plugin's words, and never as a hang or a stray exception."""

from __future__ import annotations

import unittest

from chaoslib.exceptions import ActivityFailed
from chaosprometheus import probes

from support import CONFIGURATION, UNREACHABLE


class FailureTests(unittest.TestCase):
    def test_a_result_is_a_python_value_and_the_query_document_a_dict(self) -> None:
        document = probes.query("vector(1)", configuration=CONFIGURATION)
        self.assertIsInstance(document, dict)
        self.assertEqual(document["status"], "success")
        self.assertEqual(document["data"]["result"][0]["value"][1], "1")
        self.assertEqual(probes.query_value("vector(0.25)", configuration=CONFIGURATION), 0.25)
        self.assertIs(probes.check_threshold("vector(1)", "<", 2, configuration=CONFIGURATION), True)

    def test_an_unreachable_prometheus_raises_activity_failed_with_the_plugins_message(self) -> None:
        with self.assertRaises(ActivityFailed) as raised:
            probes.query("up", configuration=UNREACHABLE)
        self.assertIs(type(raised.exception), ActivityFailed, "chaoslib's own type, as the original's FailedActivity")
        self.assertEqual(raised.exception.code, -32000)
        self.assertEqual(raised.exception.data["reason"], "unreachable")
        self.assertTrue(str(raised.exception).startswith('Prometheus query {"query":"up"} failed'), str(raised.exception))
        self.assertIn("cannot connect to Prometheus at http://127.0.0.1:1", str(raised.exception))

    def test_bad_promql_raises_activity_failed_with_prometheuss_error(self) -> None:
        with self.assertRaises(ActivityFailed) as raised:
            probes.query("rate(up[", configuration=CONFIGURATION)
        self.assertEqual(raised.exception.data["reason"], "prometheus_error")
        self.assertIn("bad_data", str(raised.exception))

    def test_an_argument_the_plugin_refuses_raises_activity_failed_in_chaoslibs_words(self) -> None:
        with self.assertRaises(ActivityFailed) as raised:
            probes.query_interval("up", start="now", end="now", step=True, configuration=CONFIGURATION)
        self.assertEqual(raised.exception.code, -32602)
        self.assertIn("argument 'step' of activity 'query_interval' must be", str(raised.exception))

    def test_an_unknown_argument_is_pythons_type_error_before_anything_is_sent(self) -> None:
        with self.assertRaises(TypeError):
            probes.query("up", when_ever="now")  # type: ignore[call-arg]

    def test_values_json_cannot_carry_fail_the_call_and_leave_the_plugin_serving(self) -> None:
        deep: object = 0
        for _ in range(600):
            deep = [deep]
        unsendable = {
            "NaN": {"x": float("nan")},
            "an object": {"x": object()},
            "a lone surrogate": {"x": "\udc80"},
            "nesting past the plugin's limit": {"x": deep},
        }
        for what, configuration in unsendable.items():
            with self.subTest(what), self.assertRaises(ActivityFailed) as raised:
                probes.query("up", configuration={**CONFIGURATION, **configuration})
            self.assertIn("could not be sent to the chaostoolkit-prometheus plugin", str(raised.exception))
            self.assertIsNone(raised.exception.code)
        self.assertEqual(probes.query_value("vector(7)", configuration=CONFIGURATION), 7)

    def test_keys_json_would_write_as_one_name_fail_the_call_and_leave_the_plugin_serving(self) -> None:
        with self.assertRaises(ActivityFailed) as raised:
            probes.query("up", configuration={**CONFIGURATION, "labels": {1: "a", "1": "b"}})
        self.assertIn("two keys that JSON writes as the same name", str(raised.exception))
        self.assertEqual(probes.query_value("vector(8)", configuration=CONFIGURATION), 8)

    def test_an_argument_left_out_takes_the_plugins_default(self) -> None:
        # `when` is not sent, so the plugin evaluates at now: a timestamp within a minute of the test's clock.
        import time

        document = probes.query("vector(1)", configuration=CONFIGURATION)
        self.assertLess(abs(document["data"]["result"][0]["value"][0] - time.time()), 60)


if __name__ == "__main__":
    unittest.main()
