"""The loopback listener X's sign-in page sends the browser back to.

It runs on the app's asyncio loop (under qasync, the Qt loop), binds only
127.0.0.1, answers exactly one callback request with a small page, and
closes (a request for another path, such as a browser's favicon, gets a 404
and changes nothing). Any
failure (timeout, a refusal, a wrong ``state``) ends the wait with a code the
UI turns into a message; nothing has been stored at that point.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from .pkce import CALLBACK_PATH

MAX_REQUEST_BYTES = 16384

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Ahoy Desktop</title></head>
<body style="font-family: sans-serif; margin: 3em"><h2>{title}</h2><p>{text}</p></body></html>"""


class CallbackError(Exception):
    """The sign-in did not come back with a usable code. ``code`` names why."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(detail or code)
        self.code = code  # "timeout", "denied", "state_mismatch", "bad_request", "port_in_use"
        self.detail = detail


@dataclass(frozen=True)
class CallbackResult:
    code: str


class CallbackListener:
    """``await listener.start()``, send the browser off, then ``await listener.wait(timeout)``."""

    def __init__(self, port: int, expected_state: str):
        self.port = port
        self.expected_state = expected_state
        self._server: asyncio.base_events.Server | None = None
        self._answer: asyncio.Future | None = None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._answer = loop.create_future()
        try:
            self._server = await asyncio.start_server(self._serve, host="127.0.0.1", port=self.port)
        except OSError as exc:
            raise CallbackError("port_in_use", str(exc)) from None

    async def wait(self, timeout: float) -> CallbackResult:
        """The code from the one request that arrives, or CallbackError. Always closes the listener."""
        assert self._answer is not None, "start() first"
        try:
            return await asyncio.wait_for(asyncio.shield(self._answer), timeout)
        except TimeoutError:
            raise CallbackError("timeout") from None
        finally:
            await self.close()

    async def close(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
            with contextlib.suppress(Exception):
                await server.wait_closed()
        if self._answer is not None and not self._answer.done():
            self._answer.cancel()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ConnectionError):
            writer.close()
            return
        if self._answer is None or self._answer.done():  # one request only
            await _respond(writer, 409, "Already answered", "This sign-in has already been handled.")
            return
        head_text = head[:MAX_REQUEST_BYTES].decode("latin-1")
        if not _is_callback(head_text):  # a browser's /favicon.ico, a stray local client: not the answer
            await _respond(writer, 404, "Not found", "This is Ahoy Desktop's sign-in listener.")
            return
        outcome = self._read(head_text)
        if isinstance(outcome, CallbackResult):
            await _respond(writer, 200, "Connected", "You can close this tab and go back to Ahoy Desktop.")
            self._answer.set_result(outcome)
        else:
            await _respond(writer, 400, "Not connected", "Ahoy Desktop did not connect the account. "
                                                       "Go back to the app to try again.")
            self._answer.set_exception(outcome)
        if self._server is not None:
            self._server.close()  # no further connections

    def _read(self, head: str) -> CallbackResult | CallbackError:
        request_line = head.split("\r\n", 1)[0].split(" ")
        if len(request_line) < 2 or request_line[0] != "GET":
            return CallbackError("bad_request", "not a GET request")
        url = urlsplit(request_line[1])
        if url.path != CALLBACK_PATH:
            return CallbackError("bad_request", f"unexpected path {url.path}")
        params = {k: v[0] for k, v in parse_qs(url.query).items()}
        if params.get("state") != self.expected_state:
            return CallbackError("state_mismatch")
        if "error" in params:
            return CallbackError("denied", params.get("error_description") or params["error"])
        if not params.get("code"):
            return CallbackError("bad_request", "no code")
        return CallbackResult(params["code"])


def _is_callback(head: str) -> bool:
    request_line = head.split("\r\n", 1)[0].split(" ")
    return len(request_line) >= 2 and urlsplit(request_line[1]).path == CALLBACK_PATH


async def _respond(writer: asyncio.StreamWriter, status: int, title: str, text: str) -> None:
    body = PAGE.format(title=title, text=text).encode("utf-8")
    reason = {200: "OK", 400: "Bad Request", 404: "Not Found", 409: "Conflict"}[status]
    head = (f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n")
    try:
        writer.write(head.encode("ascii") + body)
        await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()
