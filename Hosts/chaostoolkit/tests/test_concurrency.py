"""Calls from many threads at once, as chaos's background activities make them, each get their own answer."""

from __future__ import annotations

import threading
import unittest
from typing import List

from chaosprometheus import probes

from support import CONFIGURATION

THREADS = 16
CALLS = 100


class ConcurrencyTests(unittest.TestCase):
    def test_sixteen_threads_of_a_hundred_calls_each_get_every_answer_of_their_own(self) -> None:
        wrong: List[str] = []
        failures: List[BaseException] = []
        start = threading.Barrier(THREADS)

        def caller(thread: int) -> None:
            try:
                start.wait(timeout=30)
                for call in range(CALLS):
                    expected = thread * 1000 + call
                    value = probes.query_value(f"vector({expected})", configuration=CONFIGURATION)
                    if value != expected:
                        wrong.append(f"thread {thread}, call {call}: {value}, not {expected}")
            except BaseException as failure:  # a failure of the thread must fail the test, not vanish with it
                failures.append(failure)

        threads = [threading.Thread(target=caller, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertFalse(any(thread.is_alive() for thread in threads), "a thread was still waiting after 120 s")
        self.assertEqual(failures, [])
        self.assertEqual(wrong, [])


if __name__ == "__main__":
    unittest.main()
