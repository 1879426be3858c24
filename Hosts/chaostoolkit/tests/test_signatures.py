"""The Python functions are the plugin's activities: same names, arguments, order, defaults and types as `discover`."""

from __future__ import annotations

import inspect
import typing
import unittest
from typing import Any, Callable, Dict, List, Optional, Union

import chaosprometheus
from chaosprometheus import _plugin, metrics, probes

# The JSON types of discovery, and the Python type an annotation must accept for each.
_ACCEPTED = {"string": str, "number": float, "integer": int, "boolean": bool, "mapping": dict, "list": list}

# Arguments the adapter fills in itself, never the experiment: chaoslib's version, for the control's labels.
_SUPPLIED_BY_THE_ADAPTER = {("configure_control", "chaostoolkit_lib_version")}

# Parameters chaoslib passes beside an activity's arguments, which the plugin takes elsewhere or not at all.
_CHAOSLIB_PARAMETERS = {"configuration", "secrets", "context"}


def accepts(annotation: Any, python_type: type) -> bool:
    """Whether a parameter annotated `annotation` accepts values of `python_type` (an int where a float is asked)."""
    if annotation is Any:
        return True
    if typing.get_origin(annotation) is Union:
        return any(accepts(argument, python_type) for argument in typing.get_args(annotation))
    origin = typing.get_origin(annotation) or annotation
    return isinstance(origin, type) and (issubclass(python_type, origin) or (origin is float and python_type is int))


def differences(function: Callable[..., Any], activity: Dict[str, Any]) -> List[str]:
    """Each way `function`'s signature differs from the plugin's discovered `activity`; empty when they agree."""
    hints = typing.get_type_hints(function)
    parameters = [
        p
        for p in inspect.signature(function).parameters.values()
        if p.name not in _CHAOSLIB_PARAMETERS and p.kind is not inspect.Parameter.VAR_KEYWORD
    ]
    expected = [a for a in activity["arguments"] if (activity["name"], a["name"]) not in _SUPPLIED_BY_THE_ADAPTER]
    if [p.name for p in parameters] != [a["name"] for a in expected]:
        return [f"arguments {[p.name for p in parameters]}, where the plugin has {[a['name'] for a in expected]}"]
    found = []
    for parameter, argument in zip(parameters, expected):
        if "default" not in argument and parameter.default is not inspect.Parameter.empty:
            found.append(f"{parameter.name} has a default, where the plugin requires it")
        elif "default" in argument and parameter.default != argument["default"]:
            found.append(f"{parameter.name} defaults to {parameter.default!r}, the plugin's to {argument['default']!r}")
        python_type = _ACCEPTED.get(argument["type"])
        if python_type is not None and not accepts(hints.get(parameter.name, Any), python_type):
            found.append(f"{parameter.name} is annotated {hints.get(parameter.name)}, narrower than {argument['type']}")
    return found


class SignatureTests(unittest.TestCase):
    catalogue: Dict[str, Any]

    @classmethod
    def setUpClass(cls) -> None:
        cls.catalogue = _plugin.call("discover")

    def test_each_module_exports_exactly_the_plugins_activities_in_its_order(self) -> None:
        for module in (probes, metrics):
            discovered = [a["name"] for a in self.catalogue["activities"] if a["mod"] == module.__name__]
            self.assertEqual(list(module.__all__), discovered, module.__name__)

    def test_each_function_declares_the_plugins_arguments_in_order_with_their_defaults_and_types(self) -> None:
        for activity in self.catalogue["activities"]:
            module = probes if activity["mod"] == probes.__name__ else metrics
            function = getattr(module, activity["name"])
            self.assertEqual(differences(function, activity), [], f"{activity['mod']}.{activity['name']}")

    def test_the_probes_take_configuration_and_secrets_so_that_chaoslib_passes_them(self) -> None:
        for name in probes.__all__:
            parameters = inspect.signature(getattr(probes, name)).parameters
            self.assertIn("configuration", parameters, name)
            self.assertIn("secrets", parameters, name)

    def test_the_adapter_has_the_plugins_version(self) -> None:
        self.assertEqual(chaosprometheus.__version__, self.catalogue["extension"]["version"])


def _window(window: str = "1d", configuration: Any = None) -> None:
    """A function to compare with made-up activities."""


class DriftTests(unittest.TestCase):
    """The comparison finds each kind of drift, so the test above fails when the two sides part."""

    def activity(self, **argument: Any) -> Dict[str, Any]:
        return {"name": "window_probe", "arguments": [{"name": "window", "type": "string", **argument}]}

    def test_the_same_signature_has_no_difference(self) -> None:
        self.assertEqual(differences(_window, self.activity(default="1d")), [])

    def test_a_changed_default_is_a_difference(self) -> None:
        self.assertEqual(len(differences(_window, self.activity(default="2d"))), 1)

    def test_a_required_argument_given_a_default_is_a_difference(self) -> None:
        self.assertEqual(len(differences(_window, self.activity())), 1)

    def test_a_renamed_or_added_argument_is_a_difference(self) -> None:
        renamed = {"name": "window_probe", "arguments": [{"name": "span", "type": "string", "default": "1d"}]}
        added = self.activity(default="1d")
        added["arguments"].append({"name": "step", "type": "integer", "default": 1})
        self.assertEqual(len(differences(_window, renamed)), 1)
        self.assertEqual(len(differences(_window, added)), 1)

    def test_an_annotation_narrower_than_the_plugins_type_is_a_difference(self) -> None:
        self.assertEqual(len(differences(_window, {"name": "w", "arguments": [{"name": "window", "type": "number", "default": "1d"}]})), 1)
        self.assertTrue(accepts(Optional[Union[int, float, str]], int))
        self.assertTrue(accepts(float, int))


if __name__ == "__main__":
    unittest.main()
