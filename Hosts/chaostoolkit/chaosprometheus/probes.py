"""The probes of chaostoolkit-prometheus, as an experiment's python provider names them.

`"module": "chaosprometheus.probes", "func": "query"` runs the plugin's `chaosprometheus.probes.query`.
The four probes of the Python original keep its names, arguments and defaults; the others judge values
(protocol.md, "Probes that judge"). Each function's body is the plugin: see `forwarded_to_plugin`.
`configuration` is the experiment's (`prometheus_base_url`, `prometheus_http_timeout`, TLS files) and
`secrets` the activity's (`prometheus_bearer_token`, `prometheus_username`, `prometheus_password`, ...),
as protocol.md's "Reaching Prometheus" lists them.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Union

from chaoslib.types import Configuration, Secrets

from ._activity import forwarded_to_plugin

__all__ = [
    "query",
    "query_interval",
    "compute_mean",
    "nodes_cpu_usage_mean",
    "query_value",
    "query_values",
    "check_threshold",
    "wait_for_threshold",
    "change_ratio",
    "alerts",
    "targets",
]

Number = Union[int, float]
Duration = Union[int, float, str]


@forwarded_to_plugin
def query(
    query: str,
    when: Optional[str] = None,
    timeout: Optional[Duration] = None,
    verify_tls: bool = True,
    configuration: Configuration = None,
    secrets: Secrets = None,
) -> Dict[str, Any]:
    """Run an instant query at `when` (default now) and return Prometheus's response document as it is."""


@forwarded_to_plugin
def query_interval(
    query: str,
    start: str,
    end: str,
    step: Duration = 1,
    timeout: Optional[Duration] = None,
    verify_tls: bool = True,
    configuration: Configuration = None,
    secrets: Secrets = None,
) -> Dict[str, Any]:
    """Run a range query from `start` to `end` every `step` and return Prometheus's response document as it is."""


@forwarded_to_plugin
def compute_mean(
    query: str,
    window: str = "1d",
    mean_type: str = "arithmetic",
    configuration: Configuration = None,
    secrets: Secrets = None,
) -> float:
    """The arithmetic, geometric or harmonic mean of every sample `query` returns over the last `window`."""


@forwarded_to_plugin
def nodes_cpu_usage_mean(
    window: str = "1d",
    configuration: Configuration = None,
    secrets: Secrets = None,
) -> float:
    """The nodes' mean CPU usage, in percent, over the last `window`, from the node exporter's metrics."""


@forwarded_to_plugin
def query_value(
    query: str,
    when: Optional[str] = None,
    reduce: Optional[str] = None,
    on_empty: Optional[Number] = None,
    timeout: Optional[Duration] = None,
    verify_tls: bool = True,
    configuration: Configuration = None,
    secrets: Secrets = None,
) -> float:
    """An instant query's value as one number (several series need `reduce`; no series needs `on_empty`)."""


@forwarded_to_plugin
def query_values(
    query: str,
    when: Optional[str] = None,
    start: Optional[str] = None,
    end: Optional[str] = None,
    step: Duration = 1,
    timeout: Optional[Duration] = None,
    verify_tls: bool = True,
    configuration: Configuration = None,
    secrets: Secrets = None,
) -> List[Dict[str, Any]]:
    """Every series of an instant query (or a range query, given `start` and `end`), values as numbers."""


@forwarded_to_plugin
def check_threshold(
    query: str,
    operator: str,
    threshold: Any,
    reduce: Optional[str] = None,
    match: str = "all",
    on_empty: Optional[Number] = None,
    when: Optional[str] = None,
    detail: bool = False,
    timeout: Optional[Duration] = None,
    verify_tls: bool = True,
    configuration: Configuration = None,
    secrets: Secrets = None,
) -> Any:
    """Whether an instant query's value satisfies `operator` against `threshold`: true or false."""


@forwarded_to_plugin
def wait_for_threshold(
    query: str,
    operator: str,
    threshold: Any,
    reduce: Optional[str] = None,
    match: str = "all",
    on_empty: Optional[Number] = None,
    timeout: Duration = 300,
    interval: Duration = 10,
    consecutive: int = 1,
    verify_tls: bool = True,
    configuration: Configuration = None,
    secrets: Secrets = None,
) -> Any:
    """Check every `interval` until the condition held `consecutive` times in a row, and return the last value."""


@forwarded_to_plugin
def change_ratio(
    query: str,
    baseline: str = "10 minutes ago",
    when: Optional[str] = None,
    reduce: Optional[str] = None,
    on_empty: Optional[Number] = None,
    timeout: Optional[Duration] = None,
    verify_tls: bool = True,
    configuration: Configuration = None,
    secrets: Secrets = None,
) -> float:
    """An instant query's value at `when` divided by its value at `baseline`."""


@forwarded_to_plugin
def alerts(
    state: str = "firing",
    matchers: List[str] = [],  # noqa: B006 - never mutated: the value is sent to the plugin
    verify_tls: bool = True,
    configuration: Configuration = None,
    secrets: Secrets = None,
) -> List[Dict[str, Any]]:
    """The alerts in `state` whose labels satisfy every label matcher of `matchers`."""


@forwarded_to_plugin
def targets(
    job: Optional[str] = None,
    health: str = "any",
    matchers: List[str] = [],  # noqa: B006 - never mutated: the value is sent to the plugin
    verify_tls: bool = True,
    configuration: Configuration = None,
    secrets: Secrets = None,
) -> List[Dict[str, Any]]:
    """The active scrape targets of `job`, in `health`, whose labels satisfy every matcher of `matchers`."""
