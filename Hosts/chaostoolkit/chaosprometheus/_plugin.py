"""The chaostoolkit-prometheus plugin process, and the one connection to it that every call shares.

One plugin process serves a whole Python process (a `chaos run`): it is started on first use, in a
session of its own so that a Ctrl-C at the terminal reaches `chaos` and not the plugin, and it is
shut down (`shutdown`, then `exit`) when Python exits. Calls arrive from any thread (chaos runs
background activities on a thread pool); each is written as one JSON-RPC line under a lock, and one
reader thread routes every answer to its caller by id. A second thread drains the plugin's standard
error into the `chaostoolkit` logger, at the level of each line, so the plugin never stalls on a full
pipe. If the plugin dies, the calls in flight fail with its exit status, and the next call starts a
new one, saying so in the log.

Everything here speaks protocol.md only.
"""

from __future__ import annotations

import atexit
import itertools
import json
import logging
import os
import shutil
import signal
import subprocess
import threading
from typing import IO, Any, Dict, List, Mapping, Optional

from chaoslib.exceptions import ActivityFailed

try:
    from chaoslib import PayloadEncoder as _Encoder  # dates, UUIDs and decimals, as chaoslib writes journals
except ImportError:  # an older chaostoolkit-lib
    _Encoder = json.JSONEncoder  # type: ignore[misc,assignment]

__all__ = [
    "EXECUTABLE_NAME",
    "EXECUTABLE_VARIABLE",
    "PluginProcess",
    "activity_failed",
    "call",
    "plugin_process",
]

#: The environment variable naming the plugin's executable; without it, `chaostoolkit-prometheus` on the PATH.
EXECUTABLE_VARIABLE = "CHAOSTOOLKIT_PROMETHEUS_PLUGIN"
EXECUTABLE_NAME = "chaostoolkit-prometheus"

# protocol.md, "Guarantees and limits": the longest line and the deepest nesting the plugin reads. A line
# past either is answered with an error that carries no id, which no caller could ever receive, so such
# a call is refused here instead.
_LONGEST_LINE = 16 * 1024 * 1024
_DEEPEST_NESTING = 512

# How long Python's exit waits for the plugin to finish what is in flight, then to end.
_SHUTDOWN_SECONDS = 5.0

logger = logging.getLogger("chaostoolkit")

_PLUGIN_LEVELS = {
    "trace": logging.DEBUG,
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
}


def activity_failed(message: str, code: Optional[int] = None, data: Any = None) -> ActivityFailed:
    """The exception every failure raises: chaoslib's own ActivityFailed, as the original's FailedActivity is, so
    chaos logs and journals it as `chaoslib.exceptions.ActivityFailed: <message>`, word for word as before.

    `code` is the JSON-RPC error code of the plugin's answer (-32000 for the Chaos Toolkit's FailedActivity, -32602
    for arguments that do not fit the activity), or None when there was no answer: the plugin could not be started,
    the call could not be sent, or the plugin exited. `data` is the error's data (for a FailedActivity, its
    `reason` and detail).
    """
    failure = ActivityFailed(message)
    failure.code = code  # type: ignore[attr-defined]
    failure.data = data  # type: ignore[attr-defined]
    return failure


class _Pending:
    """A call waiting for its answer: the reader thread sets `answer`, then releases `answered`, a lock taken at
    creation (cheaper than an Event, and as interruptible by Ctrl-C while waiting)."""

    __slots__ = ("answered", "answer")

    def __init__(self) -> None:
        self.answered = threading.Lock()
        self.answered.acquire()
        self.answer: Optional[Dict[str, Any]] = None

    def wait(self, timeout: Optional[float]) -> bool:
        return self.answered.acquire(timeout=-1 if timeout is None else timeout)

    def set(self) -> None:
        self.answered.release()


class PluginProcess:
    """One running plugin, its reader threads and the calls in flight in it.

    Answers are read by a thread of their own, never by a caller: the main thread receives the signals (a
    Ctrl-C raises where it happens to be), and one interrupted halfway through reading or handing out answers
    would leave the other callers waiting for ever. The hand-off costs about 0.1 ms a call (BENCHMARKS.md,
    figure 9).
    """

    def __init__(self, executable: str) -> None:
        arguments = [executable]
        # The plugin logs at warning unless told otherwise; when chaostoolkit keeps debug lines (its log
        # file does), the plugin's debug lines ("Querying with: ...", as the original logs) go there too.
        # CHAOSTOOLKIT_PROMETHEUS_LOG_LEVEL, if set, is the plugin's to read, and wins.
        if "CHAOSTOOLKIT_PROMETHEUS_LOG_LEVEL" not in os.environ and logger.isEnabledFor(logging.DEBUG):
            arguments += ["--log-level", "debug"]
        try:
            self._process = subprocess.Popen(
                arguments,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
                close_fds=True,
            )
        except OSError as error:
            raise activity_failed(
                f"the chaostoolkit-prometheus plugin at {executable} could not be started: {error}"
            ) from None
        self.pid = self._process.pid
        self._ids = itertools.count(1)
        # Guards `_pending` and `_exit`. The reader thread takes only this lock, never `_writing`, so it keeps
        # draining answers while a writer waits for the plugin to read.
        self._lock = threading.Lock()
        self._pending: Dict[int, _Pending] = {}
        self._exit: Optional[str] = None
        # Serialises writes to the plugin's standard input: one whole line at a time.
        self._writing = threading.Lock()
        self._stdin: IO[bytes] = self._process.stdin  # type: ignore[assignment]
        # Written with os.write, never through the buffered file: see _write.
        self._stdin_descriptor = self._stdin.fileno()
        for target, name in ((self._read_answers, "answers"), (self._read_log, "log")):
            threading.Thread(target=target, name=f"chaostoolkit-prometheus {name} (pid {self.pid})", daemon=True).start()

    @property
    def exited(self) -> Optional[str]:
        """Why the plugin is gone (its exit status), or None while it runs."""
        with self._lock:
            if self._exit is None and self._process.poll() is not None:
                self._exit = f"the chaostoolkit-prometheus plugin (pid {self.pid}) {_ending(self._process.returncode)}"
            return self._exit

    def call(self, method: str, params: Optional[Mapping[str, Any]] = None, timeout: Optional[float] = None) -> Any:
        """Sends a request and waits for its answer: returns the result, or raises.

        A caller interrupted while waiting (Ctrl-C) abandons the call and has the plugin cancel it.
        `timeout` is for the adapter's own housekeeping (shutdown); a probe's call waits as long as the
        probe runs, which the plugin's own deadlines bound.
        """
        request_id = next(self._ids)
        message: Dict[str, Any] = {"jsonrpc": "2.0", "id": request_id, "method": method}
        if params is not None:
            message["params"] = params
        line = _encode(message, method)
        pending = _Pending()
        with self._lock:
            if self._exit is not None:
                raise activity_failed(f"{method} could not be sent: {self._exit}")
            self._pending[request_id] = pending
        # From here on the call is registered: however it ends (the plugin gone, a Ctrl-C at any point), it is
        # taken out again, and the plugin is told to cancel it, so nothing is left waiting or running.
        try:
            try:
                self._write(line)
            except OSError:
                with self._lock:
                    reason = self._exit or f"the chaostoolkit-prometheus plugin (pid {self.pid}) stopped reading"
                raise activity_failed(f"{method} could not be sent: {reason}") from None
            answered = pending.wait(timeout)
        except BaseException:
            self._abandon(request_id)
            raise
        if not answered:
            self._abandon(request_id)
            raise activity_failed(f"{method} was not answered within {timeout:g} s")
        return _result(pending.answer or {}, method)

    def notify(self, method: str, params: Optional[Mapping[str, Any]] = None) -> None:
        """Sends a notification; one the plugin can no longer read is dropped."""
        message: Dict[str, Any] = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        try:
            self._write(_encode(message, method))
        except OSError:
            pass

    def close(self) -> None:
        """Lets the calls in flight finish, then ends the plugin (`shutdown`, `exit`); kills it if it lingers."""
        if self.exited is None:
            try:
                self.call("shutdown", timeout=_SHUTDOWN_SECONDS)
            except ActivityFailed as error:
                logger.debug(f"chaostoolkit-prometheus: shutdown: {error}")
            self.notify("exit")
        try:
            self._stdin.close()
        except OSError:
            pass
        try:
            self._process.wait(_SHUTDOWN_SECONDS)
        except subprocess.TimeoutExpired:
            logger.warning(f"chaostoolkit-prometheus: the plugin (pid {self.pid}) did not exit; killing it")
            self._process.kill()
            self._process.wait()

    def _write(self, line: bytes) -> None:
        """Writes `line` whole, even when a Ctrl-C lands halfway: a torn line would join the next one, and the
        plugin could answer neither. The interruption is raised once the line is out. (`os.write` raises only
        before it has written anything; the loop's state is consistent wherever Python checks for signals.)"""
        with self._writing:
            view = memoryview(line)
            interruption: Optional[BaseException] = None
            while view:
                try:
                    written = os.write(self._stdin_descriptor, view)
                except OSError:
                    raise
                except BaseException as caught:  # KeyboardInterrupt, or chaoslib's exceptions from its signal handlers
                    interruption = interruption or caught
                    continue
                view = view[written:]
            if interruption is not None:
                raise interruption

    def _abandon(self, request_id: int) -> None:
        with self._lock:
            self._pending.pop(request_id, None)
        self.notify("$/cancelRequest", {"id": request_id})

    def _read_answers(self) -> None:
        stdout: IO[bytes] = self._process.stdout  # type: ignore[assignment]
        for line in stdout:
            with self._lock:
                answered = self._deliver(line)
            for pending in answered:
                pending.set()
        stdout.close()
        reason = self._ending()
        with self._lock:
            answered = self._fail_every_call(reason)
        for pending in answered:
            pending.set()

    def _ending(self) -> str:
        try:
            return f"the chaostoolkit-prometheus plugin (pid {self.pid}) {_ending(self._process.wait(_SHUTDOWN_SECONDS))}"
        except subprocess.TimeoutExpired:
            return f"the chaostoolkit-prometheus plugin (pid {self.pid}) closed its standard output"

    def _fail_every_call(self, reason: str) -> List[_Pending]:
        """With `_lock` held: the plugin is gone; every call still waiting gets `reason`, and is returned."""
        self._exit = reason
        abandoned, self._pending = self._pending, {}
        for waiting in abandoned.values():
            waiting.answer = {"error": {"code": None, "message": reason}}
        return list(abandoned.values())

    def _deliver(self, line: bytes) -> List[_Pending]:
        """With `_lock` held: gives the answers of `line` to their calls, and returns those calls."""
        try:
            answer = json.loads(line)
        except ValueError:
            logger.error(f"chaostoolkit-prometheus: the plugin wrote a line that is not JSON: {line[:200]!r}")
            return []
        answered = []
        for response in answer if isinstance(answer, list) else [answer]:
            request_id = response.get("id") if isinstance(response, dict) else None
            waiting = self._pending.pop(request_id, None) if isinstance(request_id, int) else None
            if waiting is not None:
                waiting.answer = response
                answered.append(waiting)
            elif isinstance(response, dict) and request_id is None and "error" in response:
                # It cannot say which line it could not read, and that line's caller would wait for ever: every
                # call in flight fails instead. (_encode sends only what the plugin reads, so this is a safety net.)
                reason = f"the plugin could not read a request ({response['error']}), so the calls in flight were given up"
                logger.error(f"chaostoolkit-prometheus: {reason}")
                for waiting in self._pending.values():
                    waiting.answer = {"error": {"code": None, "message": reason}}
                    answered.append(waiting)
                self._pending.clear()
            else:
                # The answer to an abandoned call: its caller was interrupted and has gone.
                logger.debug(f"chaostoolkit-prometheus: an answer to no call in flight: {str(response)[:200]}")
        return answered

    def _read_log(self) -> None:
        stderr: IO[bytes] = self._process.stderr  # type: ignore[assignment]
        for raw in stderr:
            text = raw.decode("utf-8", "replace").rstrip("\r\n")
            level_name, _, message = text.partition(" ")
            level = _PLUGIN_LEVELS.get(level_name)
            if level is None:
                # Not the plugin's log format (protocol.md, "Logging"): something worth seeing, such as a crash.
                logger.warning(f"chaostoolkit-prometheus: {text}")
            else:
                logger.log(level, f"chaostoolkit-prometheus: {message}")
        stderr.close()


def _ending(status: int) -> str:
    if status < 0:
        try:
            return f"was killed by {signal.Signals(-status).name}"
        except ValueError:
            return f"was killed by signal {-status}"
    return f"exited with status {status}"


# One encoder for every request: strict JSON (no NaN), UTF-8 as it is, no spaces.
_ENCODER = _Encoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _encode(message: Mapping[str, Any], method: str) -> bytes:
    """The request as one line of strict JSON, or ActivityFailed saying why it cannot be sent."""
    problem = None
    try:
        shape = _unreadable_shape(message, _DEEPEST_NESTING)
        if shape is not None:
            problem = shape
        else:
            text = _ENCODER.encode(message)
            line = text.encode("utf-8") + b"\n"
            if len(line) > _LONGEST_LINE:
                problem = f"it is {len(line)} bytes long, and the plugin reads lines of at most {_LONGEST_LINE}"
            else:
                return line
    except (TypeError, ValueError) as error:
        # Not JSON (an object json cannot write, NaN or infinity), or text that is not Unicode.
        problem = f"a value cannot be written as JSON ({error})"
    raise activity_failed(f"{method} could not be sent to the chaostoolkit-prometheus plugin: {problem}")


def _json_name(key: Any) -> Any:
    """The member name json.dumps writes for a mapping key (other keys make it fail, which _encode reports)."""
    if isinstance(key, bool) or key is None:
        return {True: "true", False: "false", None: "null"}[key]
    return key if isinstance(key, str) else repr(key) if isinstance(key, float) else str(key)


def _unreadable_shape(value: Any, limit: int) -> Optional[str]:
    """Why the plugin could not read `value` as JSON, or None: nesting deeper than `limit` levels (the message itself
    is one), or a mapping whose keys json would write as one name twice (`1` and `"1"` both become `"1"`)."""
    level: List[Any] = [value]
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return f"its values are nested deeper than the {limit} levels the plugin reads"
        nested: List[Any] = []
        for item in level:
            if isinstance(item, dict):
                if not all(isinstance(key, str) for key in item) and len({_json_name(key) for key in item}) < len(item):
                    return "a mapping has two keys that JSON writes as the same name (such as 1 and \"1\")"
                nested.extend(v for v in item.values() if isinstance(v, (dict, list, tuple)))
            elif isinstance(item, (list, tuple)):
                nested.extend(v for v in item if isinstance(v, (dict, list, tuple)))
        level = nested
    return None


def _result(answer: Mapping[str, Any], method: str) -> Any:
    error = answer.get("error")
    if error is None:
        return answer.get("result")
    if not isinstance(error, dict):
        raise activity_failed(f"{method}: the plugin answered with an error that is not an object: {error!r}")
    code, message = error.get("code"), str(error.get("message", "no message"))
    if code is None:
        raise activity_failed(f"{method} got no answer: {message}")
    if code in (-32000, -32602):
        # A FailedActivity, or arguments that do not fit: the plugin's words are for the experiment's author.
        raise activity_failed(message, code, error.get("data"))
    raise activity_failed(
        f"the chaostoolkit-prometheus plugin refused {method} (JSON-RPC error {code}): {message}", code, error.get("data")
    )


def _locate() -> str:
    named = os.environ.get(EXECUTABLE_VARIABLE)
    if named:
        if os.path.isfile(named) and os.access(named, os.X_OK):
            return named
        raise activity_failed(f"{EXECUTABLE_VARIABLE} names {named}, which is not an executable file")
    found = shutil.which(EXECUTABLE_NAME)
    if found is None:
        raise activity_failed(
            f"the chaostoolkit-prometheus plugin was not found: set {EXECUTABLE_VARIABLE} to its path, "
            f"or put {EXECUTABLE_NAME} on the PATH"
        )
    return found


class _Connection:
    """The plugin process of this Python process: started on first use, started again after it died."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: Optional[PluginProcess] = None
        self._closing_registered = False

    def process(self) -> PluginProcess:
        with self._lock:
            process = self._process
            if process is not None:
                gone = process.exited
                if gone is None:
                    return process
                logger.warning(f"chaostoolkit-prometheus: {gone}; starting a new plugin process")
                process.close()
            process = PluginProcess(_locate())
            logger.debug(f"chaostoolkit-prometheus: started the plugin (pid {process.pid})")
            self._process = process
            if not self._closing_registered:
                atexit.register(self.close)
                self._closing_registered = True
            return process

    def close(self) -> None:
        with self._lock:
            process, self._process = self._process, None
        if process is not None:
            process.close()


_connection = _Connection()


def call(method: str, params: Optional[Mapping[str, Any]] = None) -> Any:
    """Calls `method` in this Python process's plugin, starting it if need be: the result, or raises."""
    return _connection.process().call(method, params)


def plugin_process() -> PluginProcess:
    """The running plugin process, started if need be."""
    return _connection.process()
