"""What every test of the adapter needs: a real Prometheus and the plugin, named by the environment.

`PROMETHEUS_URL` is a running Prometheus (the Swift end-to-end suite starts one and runs these tests in
`Tests/EndToEndTests/HostAdapterTests.swift`), and `CHAOSTOOLKIT_PROMETHEUS_PLUGIN` the plugin's executable,
as the adapter itself reads it.
"""

from __future__ import annotations

import os
import signal
import time
from typing import Callable

from chaosprometheus import _plugin

PROMETHEUS_URL = os.environ["PROMETHEUS_URL"]
CONFIGURATION = {"prometheus_base_url": PROMETHEUS_URL}

#: A base URL where nothing listens: connecting to port 1 is refused at once.
UNREACHABLE = {"prometheus_base_url": "http://127.0.0.1:1", "prometheus_http_attempts": 1}


def kill_plugin() -> int:
    """Kills the adapter's running plugin with SIGKILL and waits until the adapter has seen it go."""
    process = _plugin.plugin_process()
    os.kill(process.pid, signal.SIGKILL)
    wait_until(lambda: process.exited is not None, "the adapter to see the plugin exit")
    return process.pid


def wait_until(condition: Callable[[], bool], what: str, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(0.01)
