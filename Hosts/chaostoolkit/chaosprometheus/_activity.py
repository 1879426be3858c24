"""Python functions whose bodies are the plugin: the signature chaoslib validates, the call the plugin runs."""

from __future__ import annotations

import functools
import inspect
from typing import Any, Callable, Dict, TypeVar

from . import _plugin

__all__ = ["forwarded_to_plugin"]

Function = TypeVar("Function", bound=Callable[..., Any])

# Passed by chaoslib beside an activity's arguments; the plugin takes them as members of `params`.
_CONTEXT = ("configuration", "secrets")


def forwarded_to_plugin(function: Function) -> Function:
    """Makes `function` a call of the plugin method `<module>.<name>` (a Chaos Toolkit python provider's
    `module` and `func`, which protocol.md's qualified method names are).

    `function` only declares: its signature is what chaoslib validates an activity's arguments against
    and decides by whether to pass `configuration` and `secrets`. The arguments the caller gave, and only
    those, are sent, so an argument left out takes the plugin's default, as protocol.md defines it.
    The plugin's result is returned as a Python value; a failure raises ActivityFailed with the plugin's
    message.
    """
    method = f"{function.__module__}.{function.__name__}"
    signature = inspect.signature(function)

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        given = signature.bind(*args, **kwargs).arguments
        params: Dict[str, Any] = {"arguments": {k: v for k, v in given.items() if k not in _CONTEXT}}
        for member in _CONTEXT:
            if given.get(member) is not None:
                params[member] = given[member]
        return _plugin.call(method, params)

    return call  # type: ignore[return-value]
