"""An editor's side of the Model Context Protocol, played by the official Python SDK (PyPI `mcp`).

The tests run this script (in the virtual environment that scripts/install-dependencies makes,
.build/mcp-venv) against the plugin, which it starts itself as an editor would, and read the report it
prints as one JSON line on standard output:

    python mcp_check.py SCENARIO PLUGIN [PLUGIN ARGUMENT...]

Scenarios:
    handshake   initialize at each revision the SDK offers, then the SDK's default mode; ping each time
    list        tools/list, each schema checked against the JSON Schema meta-schema, arrays without items
    call        tools/call of each tool named in $MCP_CHECK_CALLS ({"tool": {arguments}, ...}), each
                structuredContent checked against the tool's outputSchema
    progress    tools/call of $MCP_CHECK_TOOL with $MCP_CHECK_ARGUMENTS and a progress token
    logging     logging/setLevel $MCP_CHECK_LEVEL (when set), then the call of "progress", its log messages
    cancel      a wait_for_threshold given up after 1 s, then another call
    tour        what an assistant does first, as readable steps (scripts/demo prints them)

With $MCP_CHECK_STDOUT_COPY naming a file, the plugin's standard output is copied there too, for a test to
search; its standard error is this script's.
"""

import asyncio
import json
import os
import sys
import time
from typing import Any

import jsonschema
import mcp.client.session as session_module
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp_types.version import HANDSHAKE_PROTOCOL_VERSIONS


def plugin(arguments: list[str]) -> StdioServerParameters:
    """The plugin, in the test's environment (which may hold secrets that --secrets names); with
    $MCP_CHECK_STDOUT_COPY set, everything it writes on standard output is also appended to that file."""
    copy = os.environ.get("MCP_CHECK_STDOUT_COPY")
    if copy:
        script = 'set -o pipefail; "$0" "$@" | tee -a "$MCP_CHECK_STDOUT_COPY"'
        return StdioServerParameters(command="/bin/bash", args=["-c", script, *arguments], env=dict(os.environ))
    return StdioServerParameters(command=arguments[0], args=arguments[1:], env=dict(os.environ))


def arrays_without_items(schema: Any, path: str = "$") -> list[str]:
    """Every place in `schema` that allows an array but says nothing of its items (VS Code refuses them)."""
    found: list[str] = []
    if isinstance(schema, dict):
        kinds = schema.get("type")
        allows_array = kinds == "array" or (isinstance(kinds, list) and "array" in kinds)
        if allows_array and "items" not in schema:
            found.append(path)
        for key, value in schema.items():
            found += arrays_without_items(value, f"{path}.{key}")
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            found += arrays_without_items(value, f"{path}[{index}]")
    return found


async def handshake(arguments: list[str]) -> dict[str, Any]:
    revisions: dict[str, Any] = {}
    for version in HANDSHAKE_PROTOCOL_VERSIONS:
        session_module.LATEST_HANDSHAKE_VERSION = version  # what the SDK's initialize offers
        async with Client(plugin(arguments), mode="legacy") as client:
            await client.send_ping()
            revisions[version] = client.protocol_version
    session_module.LATEST_HANDSHAKE_VERSION = HANDSHAKE_PROTOCOL_VERSIONS[-1]
    started = time.monotonic()
    async with Client(plugin(arguments)) as client:  # the default mode: server/discover first, then initialize
        tools = await client.list_tools()
        default = {
            "version": client.protocol_version,
            "server": client.server_info.name if client.server_info else None,
            "seconds": time.monotonic() - started,
            "tools": len(tools.tools),
        }
    return {"revisions": revisions, "default": default}


async def listing(arguments: list[str]) -> dict[str, Any]:
    async with Client(plugin(arguments), mode="legacy") as client:
        tools = (await client.list_tools()).tools
    report: dict[str, Any] = {}
    for tool in tools:
        problems: list[str] = []
        for kind, schema in (("inputSchema", tool.input_schema), ("outputSchema", tool.output_schema)):
            if schema is None:
                continue
            try:
                jsonschema.Draft202012Validator.check_schema(schema)
            except jsonschema.SchemaError as error:
                problems.append(f"{kind}: {error.message}")
            problems += [f"{kind}: array without items at {path}" for path in arrays_without_items(schema)]
        report[tool.name] = {
            "title": tool.title,
            "description": tool.description,
            "hasOutputSchema": tool.output_schema is not None,
            "readOnly": tool.annotations.read_only_hint if tool.annotations else None,
            "openWorld": tool.annotations.open_world_hint if tool.annotations else None,
            "required": tool.input_schema.get("required", []),
            "problems": problems,
        }
    return report


async def calls(arguments: list[str]) -> dict[str, Any]:
    wanted: dict[str, Any] = json.loads(os.environ["MCP_CHECK_CALLS"])
    report: dict[str, Any] = {}
    async with Client(plugin(arguments), mode="legacy") as client:
        schemas = {tool.name: tool.output_schema for tool in (await client.list_tools()).tools}
        for name, tool_arguments in wanted.items():
            result = await client.call_tool(name, tool_arguments)
            texts = [part.text for part in result.content if part.type == "text"]
            text = texts[0] if texts else ""
            entry: dict[str, Any] = {"isError": bool(result.is_error), "text": text[:200_000]}
            structured = result.structured_content
            entry["structured"] = structured is not None
            if structured is not None and not result.is_error and schemas.get(name) is not None:
                errors = [error.message for error in jsonschema.Draft202012Validator(schemas[name]).iter_errors(structured)]
                entry["schemaErrors"] = errors
            if structured is not None and not result.is_error:
                entry["textIsTheSameJSON"] = json.loads(text) == structured
            if result.is_error:  # the failure's data: JSON in a second text
                entry["data"] = json.loads(texts[1]) if len(texts) > 1 else None
            report[name] = entry
    return report


async def progress(arguments: list[str]) -> dict[str, Any]:
    notes: list[dict[str, Any]] = []

    async def noted(value: float, total: float | None, message: str | None) -> None:
        notes.append({"progress": value, "total": total, "message": message})

    async with Client(plugin(arguments), mode="legacy") as client:
        result = await client.call_tool(
            os.environ["MCP_CHECK_TOOL"], json.loads(os.environ["MCP_CHECK_ARGUMENTS"]), progress_callback=noted)
    return {"isError": bool(result.is_error), "structured": result.structured_content, "progress": notes}


async def logging(arguments: list[str]) -> dict[str, Any]:
    messages: list[dict[str, Any]] = []

    async def logged(params: Any) -> None:
        messages.append({"level": params.level, "logger": params.logger, "data": params.data})

    async with Client(plugin(arguments), mode="legacy", logging_callback=logged) as client:
        if os.environ.get("MCP_CHECK_LEVEL"):
            await client.set_logging_level(os.environ["MCP_CHECK_LEVEL"])
        result = await client.call_tool(os.environ["MCP_CHECK_TOOL"], json.loads(os.environ["MCP_CHECK_ARGUMENTS"]))
    return {"isError": bool(result.is_error), "messages": messages}


async def cancel(arguments: list[str]) -> dict[str, Any]:
    """A wait that never ends, given up after 1 s (the SDK then sends notifications/cancelled), then one more call."""
    wait = {"query": "vector(1)", "operator": "<", "threshold": 0, "interval": "200ms", "timeout": "60s"}
    async with Client(plugin(arguments), mode="legacy") as client:
        started = time.monotonic()
        try:
            await client.call_tool("wait_for_threshold", wait, read_timeout_seconds=1.0)
            gave_up = False
        except Exception as error:  # the SDK's time-out: it cancels the request
            gave_up = True
            kind = type(error).__name__
        waited = time.monotonic() - started
        await asyncio.sleep(1.0)
        after = await client.call_tool("query_value", {"query": "vector(4)"})
    return {"gaveUp": gave_up, "error": kind if gave_up else None, "waited": waited, "after": after.structured_content}


async def tour(arguments: list[str]) -> dict[str, Any]:
    """What an assistant does first: connect, list the tools, look around, ask, and wait with progress."""
    steps: list[str] = []
    async with Client(plugin(arguments)) as client:
        steps.append(f"connected: revision {client.protocol_version}, server {client.server_info.name}")
        tools = (await client.list_tools()).tools
        steps.append(f"{len(tools)} tools: {', '.join(tool.name for tool in tools)}")
        for name, tool_arguments in (
            ("label_values", {"label": "job"}),
            ("query_value", {"query": "count(up)"}),
            ("check_threshold", {"query": "up", "operator": "==", "threshold": 1, "match": "all"}),
        ):
            result = await client.call_tool(name, tool_arguments)
            text = "".join(part.text for part in result.content if part.type == "text")
            steps.append(f"{name}({json.dumps(tool_arguments)}) -> {'error: ' if result.is_error else ''}{text[:200]}")

        async def noted(value: float, total: float | None, message: str | None) -> None:
            steps.append(f"  progress {value:g}: {message}")

        wait = {"query": "count(up)", "operator": ">=", "threshold": 1, "interval": "500ms", "consecutive": 3}
        steps.append(f"wait_for_threshold({json.dumps(wait)}):")
        result = await client.call_tool("wait_for_threshold", wait, progress_callback=noted)
        steps.append(f"  -> {result.structured_content}")
    return {"steps": steps}


SCENARIOS = {
    "handshake": handshake, "list": listing, "call": calls, "progress": progress, "logging": logging,
    "cancel": cancel, "tour": tour,
}


def main() -> None:
    if len(sys.argv) < 3 or sys.argv[1] not in SCENARIOS:
        sys.exit(f"usage: mcp_check.py {{{'|'.join(SCENARIOS)}}} PLUGIN [ARGUMENT...]")
    report = asyncio.run(SCENARIOS[sys.argv[1]](sys.argv[2:]))
    print(json.dumps(report))


if __name__ == "__main__":
    main()
