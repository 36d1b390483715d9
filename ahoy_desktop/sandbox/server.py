"""The local X API v2 sandbox: a loopback HTTP server that serves a World.

The app syncs against it without credentials and tests talk real HTTP to it.
Around the pure endpoint handlers it adds what X adds: bearer auth, per-endpoint
rate-limit windows on the injected clock, the ``x-rate-limit-*`` headers, and
test hooks (faults, stats). Stdlib only.
"""

from __future__ import annotations

import json
import logging
import math
import socket
import struct
import threading
from dataclasses import dataclass, field
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ahoy_desktop.clock import Clock
from ahoy_desktop.sandbox.endpoints import DEFAULT_LIMITS, BadRequest, Reply, problem, route
from ahoy_desktop.sandbox.oauth import ISSUED_PREFIX, PATHS, OAuthProvider
from ahoy_desktop.sandbox.world import World

log = logging.getLogger(__name__)

TOO_MANY_REQUESTS = {"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429}


@dataclass
class _Window:
    start: float
    end: float
    used: int = 0


@dataclass
class _Fault:
    status: int
    body: dict | None
    headers: dict[str, str | None]
    after: int
    times: int
    raw_body: bytes | None
    network: str
    stall_seconds: float


FAULT_NETWORK = ("", "stall", "cut", "drop")


@dataclass
class _Outcome:
    """What to send back for one request, and how the connection misbehaves while sending it."""

    status: int
    body: Any
    headers: dict[str, str | None] = field(default_factory=dict)
    raw: bytes | None = None
    network: str = ""
    stall_seconds: float = 0.0


class SandboxServer:
    """Serves ``world`` like X's API v2 on ``127.0.0.1`` at a free port.

    ``window_seconds`` is the length of a rate-limit window (X: 15 minutes);
    ``limits`` overrides the per-window request limits by endpoint key.
    Bearer tokens the sandbox's OAuth provider issued must be live; with
    ``oauth_required`` every other token is refused too.
    """

    def __init__(
        self, world: World, clock: Clock, *, window_seconds: float = 900.0, limits: dict[str, int] | None = None,
        oauth_required: bool = False,
    ) -> None:
        self.world = world
        self.clock = clock
        self.oauth = OAuthProvider(clock)
        self.oauth_required = oauth_required
        self.window_seconds = float(window_seconds)
        self.limits = {**DEFAULT_LIMITS, **(limits or {})}
        self.base_url = ""
        self._lock = threading.Lock()
        self._windows: dict[str, _Window] = {}
        self._faults: dict[str, list[_Fault]] = {}
        self._stats: dict[str, dict[str, Any]] = {}
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[socket.socket] = set()
        self.stopping = threading.Event()  # ends stalled answers when the server stops

    # -- lifecycle --------------------------------------------------------
    def start(self) -> str:
        if self._httpd is not None:
            return self.base_url
        self.stopping.clear()
        httpd = _HTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._httpd = httpd
        self.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, name="ahoy-sandbox", daemon=True
        )
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self.stopping.set()
        httpd.shutdown()
        with self._lock:  # kept-alive connections would otherwise go on being served
            for conn in list(self._connections):
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- test hooks -------------------------------------------------------
    def stats(self) -> dict:
        """``{endpoint_key: {"requests", "statuses": {code: n}, "resources": {"tweets", "users"}}}``."""
        with self._lock:
            return {
                k: {"requests": v["requests"], "statuses": dict(v["statuses"]), "resources": dict(v["resources"])}
                for k, v in self._stats.items()
            }

    def reset_stats(self) -> None:
        with self._lock:
            self._stats.clear()

    def inject_fault(
        self,
        endpoint_key: str,
        *,
        status: int = 429,
        body: dict | None = None,
        headers: dict | None = None,
        after: int = 0,
        times: int = 1,
        raw_body: bytes | None = None,
        network: str = "",
        stall_seconds: float = 5.0,
    ) -> None:
        """Answer the next ``times`` requests to the endpoint, after ``after`` more
        normally handled ones, with this fault. A header value of None omits
        that header; ``raw_body`` is sent as is (truncated JSON, an HTML page,
        b"" for an empty body).

        ``network`` makes the connection misbehave instead: "stall" waits
        ``stall_seconds`` of real time before answering (past a client's
        timeout), "cut" sends the headers and half the body and then closes
        the connection, "drop" resets it without answering at all."""
        if endpoint_key not in self.limits and endpoint_key not in PATHS.values():
            raise KeyError(f"unknown endpoint key {endpoint_key!r}")
        if network not in FAULT_NETWORK:
            raise ValueError(f"unknown network fault {network!r}; one of {FAULT_NETWORK}")
        with self._lock:
            self._faults.setdefault(endpoint_key, []).append(
                _Fault(status, body, dict(headers or {}), after, times, raw_body, network, stall_seconds)
            )

    def clear_faults(self) -> None:
        """The trouble is over: every endpoint answers normally again."""
        with self._lock:
            self._faults.clear()

    def set_window(self, seconds: float) -> None:
        """Change the window length; current windows end ``seconds`` after they began."""
        with self._lock:
            self.window_seconds = float(seconds)
            for window in self._windows.values():
                window.end = window.start + self.window_seconds

    # -- request path -----------------------------------------------------
    def handle(self, method: str, target: str, headers: Any, body: bytes = b"") -> tuple[str, _Outcome]:
        """Answer one request: (endpoint key for stats, outcome)."""
        url = urlsplit(target)
        if url.path in PATHS:
            key = PATHS[url.path]
            return key, self._take_fault(key) or self._handle_oauth(method, url, body)
        found = route(url.path.rstrip("/") or "/")
        if found is None:
            return "unknown", _Outcome(404, problem(404, "Not Found Error", f"Could not find the resource {url.path}."))
        key, handler, args = found
        if method != "GET":
            return key, _Outcome(405, problem(405, "Method Not Allowed"))
        auth = headers.get("Authorization") or ""
        if not auth.startswith("Bearer ") or not auth[7:].strip():
            return key, _Outcome(401, problem(401, "Unauthorized"))
        bearer = auth[7:].strip()
        if (self.oauth_required or bearer.startswith(ISSUED_PREFIX)) and not self.oauth.accepts(bearer):
            return key, _Outcome(401, problem(401, "Unauthorized"))
        fault = self._take_fault(key)
        if fault is not None:
            return key, fault
        rate_headers, allowed = self._count_request(key)
        if not allowed:
            return key, _Outcome(429, dict(TOO_MANY_REQUESTS), rate_headers)
        state = self.world.state_at(self.clock.now())
        try:
            reply = handler(state, parse_qs(url.query, keep_blank_values=True), args)
        except BadRequest as exc:
            reply = Reply(400, exc.body)
        except Exception:  # a sandbox bug must still answer like a server
            log.exception("sandbox handler failed for %s", target)
            reply = Reply(500, problem(500, "Internal Server Error"))
        self._count_resources(key, reply)
        return key, _Outcome(reply.status, reply.body, rate_headers)

    def _handle_oauth(self, method: str, url, body: bytes) -> _Outcome:
        if url.path == "/i/oauth2/authorize":
            if method != "GET":
                return _Outcome(405, problem(405, "Method Not Allowed"))
            reply = self.oauth.authorize(url.query)
        elif method != "POST":
            return _Outcome(405, problem(405, "Method Not Allowed"))
        elif self.oauth.unavailable:
            return _Outcome(503, problem(503, "Service Unavailable"))
        elif url.path == "/2/oauth2/token":
            reply = self.oauth.token(body)
        else:
            reply = self.oauth.revoke(body)
        if reply.location is not None:
            return _Outcome(reply.status, {}, {"location": reply.location, "content-type": "text/html"}, raw=b"")
        return _Outcome(reply.status, reply.body, {"cache-control": "no-store"})

    def _take_fault(self, key: str) -> _Outcome | None:
        with self._lock:
            queue = self._faults.get(key)
            if not queue:
                return None
            fault = queue[0]
            if fault.after > 0:
                fault.after -= 1
                return None
            fault.times -= 1
            if fault.times <= 0:
                queue.pop(0)
            headers: dict[str, str | None] = {}
            limit = self.limits.get(key)
            if limit is not None:  # the sign-in endpoints carry no rate-limit headers
                window = self._windows.get(key)
                now = self.clock.timestamp()
                reset = window.end if window and now < window.end else now + self.window_seconds
                used = window.used if window and now < window.end else 0
                headers = {
                    "x-rate-limit-limit": str(limit),
                    "x-rate-limit-remaining": "0" if fault.status == 429 else str(max(0, limit - used)),
                    "x-rate-limit-reset": str(math.ceil(reset)),
                }
        headers.update({k.lower(): v for k, v in fault.headers.items()})
        body = fault.body
        if body is None:
            phrase = HTTPStatus(fault.status).phrase if fault.status in HTTPStatus._value2member_map_ else "Error"
            body = dict(TOO_MANY_REQUESTS) if fault.status == 429 else problem(fault.status, phrase)
        return _Outcome(fault.status, body, headers, fault.raw_body, fault.network, fault.stall_seconds)

    def _count_request(self, key: str) -> tuple[dict[str, str | None], bool]:
        """Spend one request of the endpoint's current window (fixed windows that
        begin at the first request after the previous one ran out)."""
        now = self.clock.timestamp()
        with self._lock:
            window = self._windows.get(key)
            if window is None or now >= window.end:
                window = self._windows[key] = _Window(now, now + self.window_seconds)
            limit = self.limits[key]
            allowed = window.used < limit
            if allowed:
                window.used += 1
            headers: dict[str, str | None] = {
                "x-rate-limit-limit": str(limit),
                "x-rate-limit-remaining": str(max(0, limit - window.used)),
                "x-rate-limit-reset": str(math.ceil(window.end)),
            }
        return headers, allowed

    def _count_resources(self, key: str, reply: Reply) -> None:
        with self._lock:
            resources = self._entry(key)["resources"]
            resources["tweets"] += reply.tweets
            resources["users"] += reply.users

    def _entry(self, key: str) -> dict[str, Any]:
        return self._stats.setdefault(key, {"requests": 0, "statuses": {}, "resources": {"tweets": 0, "users": 0}})

    def record(self, key: str, status: int) -> None:
        with self._lock:
            entry = self._entry(key)
            entry["requests"] += 1
            entry["statuses"][status] = entry["statuses"].get(status, 0) + 1

    def track(self, conn: socket.socket, open_: bool) -> None:
        with self._lock:
            if open_:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up mid-answer are normal here; stay quiet."""
        log.debug("sandbox connection error from %s", client_address, exc_info=True)


def _make_handler(server: SandboxServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as clients' sessions expect
        timeout = 30

        def version_string(self) -> str:
            return "ahoy-sandbox"

        def date_time_string(self, timestamp: float | None = None) -> str:
            """The ``date`` header on the sandbox clock, like everything else."""
            return formatdate(server.clock.timestamp() if timestamp is None else timestamp, usegmt=True)

        def setup(self) -> None:
            super().setup()
            server.track(self.connection, True)

        def finish(self) -> None:
            try:
                super().finish()
            finally:
                server.track(self.connection, False)

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""  # read whole: the kept-alive connection stays in step
            key, outcome = server.handle(self.command, self.path, self.headers, body)
            if outcome.network == "drop":
                server.record(key, 0)
                self._close_connection(reset=True)
                return
            if outcome.network == "stall" and server.stopping.wait(outcome.stall_seconds):
                return
            if outcome.raw is not None:
                payload = outcome.raw
            else:
                payload = json.dumps(outcome.body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            headers: dict[str, str | None] = {"content-type": "application/json; charset=utf-8", **outcome.headers}
            headers["content-length"] = str(len(payload))
            server.record(key, outcome.status)  # before answering, so a client sees it counted
            self.send_response(outcome.status)
            for name, value in headers.items():
                if value is not None:
                    self.send_header(name, value)
            self.end_headers()
            if outcome.network == "cut":
                self.wfile.write(payload[: len(payload) // 2])
                self._close_connection(reset=False)
                return
            self.wfile.write(payload)

        def _close_connection(self, *, reset: bool) -> None:
            """Hang up now: with a TCP reset, as a dying proxy does, or an early but orderly close
            (a reset could make the client drop the half body it already has)."""
            self.close_connection = True
            try:
                if reset:
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                else:
                    self.connection.shutdown(socket.SHUT_RDWR)
                self.connection.close()
            except OSError:
                pass

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
            pass

    return Handler
