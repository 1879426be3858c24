"""chaostoolkit-prometheus for the Chaos Toolkit: the modules `chaosprometheus.probes` and
`chaosprometheus.metrics` of the Python original, each call run by the chaostoolkit-prometheus plugin.

The plugin is found through the environment variable CHAOSTOOLKIT_PROMETHEUS_PLUGIN (its path), else as
`chaostoolkit-prometheus` on the PATH. One plugin process serves the whole Python process.
"""

from __future__ import annotations

from chaoslib.discovery.discover import initialize_discovery_result
from chaoslib.types import Discovery

from . import _plugin

__all__ = ["__version__", "discover"]

#: The version of this adapter, which is the plugin's (a test keeps them equal).
__version__ = "0.7.0"


def discover(discover_system: bool = True) -> Discovery:
    """The extension's activities, as the plugin's `discover` lists them, in chaoslib's discovery document.

    There is no system to discover: `discover_system` is accepted, as chaoslib passes it, and ignored.
    """
    catalogue = _plugin.call("discover")
    discovery = initialize_discovery_result("chaostoolkit-prometheus", catalogue["extension"]["version"], "prometheus")
    discovery["activities"].extend(catalogue["activities"])
    return discovery
