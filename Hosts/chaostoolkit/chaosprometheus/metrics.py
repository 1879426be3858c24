"""The metrics control of chaostoolkit-prometheus: each experiment run's metrics, pushed to a Pushgateway.

Declared in an experiment as the Python original's is:

    "controls": [{"name": "prometheus", "provider": {"type": "python", "module": "chaosprometheus.metrics",
                  "arguments": {"pushgateway_url": "http://pushgateway:9091"}}}]

The run lives in the plugin process (protocol.md, "The metrics control"), so the three hooks must reach
the same one. If that process died between them, the hook fails and says so in the log at error level,
instead of pushing from a run that was never configured. chaoslib logs a control's failure only at debug
level, so every failure of a hook is logged here at error level too: a push that did not happen is never
silent.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional

import chaoslib
from chaoslib.exceptions import ActivityFailed
from chaoslib.types import Experiment, Journal

from . import _plugin

__all__ = ["configure_control", "before_experiment_control", "after_experiment_control"]

_METHODS = "chaosprometheus.metrics."

# The plugin process holding the configured run, once configure_control has succeeded.
_run_process: Optional[_plugin.PluginProcess] = None


def configure_control(
    experiment: Experiment,
    pushgateway_url: str = "http://localhost:9091",
    job: str = "chaostoolkit",
    grouping_key: Optional[Dict[str, str]] = None,
    trace_id: Optional[str] = None,
    experiment_ref: Optional[str] = None,
    **kwargs: Any,
) -> None:
    """Prepare this run's metrics, labelled with chaoslib's version, the run's trace id (`trace_id`, or a
    random one) and the experiment's reference (`experiment_ref`, or chaoslib's hash of `experiment`), and
    grouped in the Pushgateway by `grouping_key` (default: the experiment reference). Pushes nothing yet.
    Other arguments chaoslib passes are ignored, as the original's `**kwargs` does."""
    global _run_process
    arguments: Dict[str, Any] = {"experiment": experiment, "chaostoolkit_lib_version": chaoslib.__version__}
    given = {
        "pushgateway_url": pushgateway_url,
        "job": job,
        "grouping_key": grouping_key,
        "trace_id": trace_id,
        "experiment_ref": experiment_ref,
    }
    # Only what the experiment gave: the plugin's defaults (its --pushgateway-url among them) fill the rest.
    defaults = configure_control.__defaults__ or ()
    for (name, value), default in zip(given.items(), defaults):
        if value != default:
            arguments[name] = value
    process = _plugin.plugin_process()
    _hook("configure_control", process, arguments)
    _run_process = process


def before_experiment_control(context: Experiment = None, **kwargs: Any) -> None:
    """Count the experiment as in progress and push the run's metrics."""
    _hook("before_experiment_control", _configured_process(), {})


def after_experiment_control(state: Journal, context: Experiment = None, **kwargs: Any) -> None:
    """Record the run's status, deviation and duration from its journal `state`, and push the run's metrics."""
    journal: Mapping[str, Any] = state if isinstance(state, Mapping) else {}
    # The plugin reads these three; the rest of the journal (every activity's output) stays here.
    summary = {key: journal[key] for key in ("status", "deviated", "duration") if key in journal}
    _hook("after_experiment_control", _configured_process(), {"state": summary})


def _configured_process() -> _plugin.PluginProcess:
    if _run_process is None:
        # Not configured here: the plugin answers with its own `not_configured` failure.
        return _plugin.plugin_process()
    gone = _run_process.exited
    if gone is not None:
        message = (
            f"the metrics control's run was kept by a plugin process that is gone ({gone}): "
            "this run's metrics cannot be pushed"
        )
        _plugin.logger.error(f"chaosprometheus.metrics: {message}")
        raise _plugin.activity_failed(message)
    return _run_process


def _hook(name: str, process: _plugin.PluginProcess, arguments: Dict[str, Any]) -> None:
    try:
        process.call(_METHODS + name, {"arguments": arguments})
    except ActivityFailed as failure:
        _plugin.logger.error(f"chaosprometheus.metrics: {name} failed: {failure}")
        raise
