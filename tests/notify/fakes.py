"""Fake SMS gateway and Zalo servers: real HTTP on 127.0.0.1, a script of what to answer.

Each request takes the next mode of `script` ("ok" once it is empty):
- "ok": the provider's success answer (the request counts as delivered);
- "fail": HTTP 500; "garbage": HTTP 200 with HTML; "slow": sleeps past the client's timeout;
- "refuse": the provider says no for good (HTTP 400 "invalid number" for SMS, Zalo error -108);
- "busy": HTTP 200 with the provider's own "try later" (SMS code 99, Zalo error -1).
`delay_seconds` holds every answer back that long (a gateway that takes its time). A request with
a request id (`dedupe_field` of the body) already delivered is answered as delivered again and not
delivered twice, as a gateway that deduplicates does.
"""

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class FakeProvider:
    def __init__(self, kind: str):
        self.kind = kind
        self.script: list[str] = []
        self.requests: list[dict] = []  # every request, whatever its answer
        self.delivered: list[dict] = []  # requests answered with success
        self.slow_seconds = 1.0
        self.delay_seconds = 0.0
        self.dedupe_field = ""
        self.resent: list[dict] = []  # requests with a request id already delivered
        self.lock = threading.Lock()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                provider.handle(self)

            def do_POST(self):
                provider.handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _request(self, handler) -> dict:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        content_type = handler.headers.get("Content-Type", "")
        if "json" in content_type:
            body = json.loads(raw.decode())
        elif raw:
            body = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        else:
            body = {k: v[0] for k, v in parse_qs(urlsplit(handler.path).query).items()}
        headers = {name.lower(): value for name, value in handler.headers.items()}
        return {"method": handler.command, "path": handler.path, "headers": headers, "body": body}

    def _answer(self, handler, status: int, payload) -> None:
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
            handler.wfile.write(data)

    def handle(self, handler) -> None:
        request = self._request(handler)
        with self.lock:
            mode = self.script.pop(0) if self.script else "ok"
            self.requests.append({**request, "mode": mode})
        if self.delay_seconds:  # received, not yet answered
            time.sleep(self.delay_seconds)
        with self.lock:
            request_id = request["body"].get(self.dedupe_field) if self.dedupe_field else None
            first = next(
                (n for n, done in enumerate(self.delivered, start=1)
                 if request_id and done["body"].get(self.dedupe_field) == request_id),
                None,
            )  # fmt: skip
            if first is not None and mode == "ok":
                self.resent.append(request)
        if first is not None and mode == "ok":
            return self._answer(handler, 200, self.success(first))
        if mode == "slow":
            time.sleep(self.slow_seconds)
            return self._answer(handler, 200, self.success(len(self.requests)))
        if mode == "fail":
            return self._answer(handler, 500, b"Internal Server Error")
        if mode == "garbage":
            return self._answer(handler, 200, b"<html><body>Bad Gateway</body></html>")
        if mode == "refuse":
            if self.kind == "sms":
                return self._answer(handler, 400, {"error": "invalid phone number"})
            return self._answer(handler, 200, {"error": -108, "message": "Phone is invalid"})
        if mode == "busy":
            if self.kind == "sms":
                return self._answer(handler, 200, {"CodeResult": "99", "ErrorMessage": "busy"})
            return self._answer(handler, 200, {"error": -1, "message": "Unknown error"})
        with self.lock:
            self.delivered.append(request)
            number = len(self.delivered)
        return self._answer(handler, 200, self.success(number))

    def success(self, number: int) -> dict:
        if self.kind == "sms":
            return {"CodeResult": "100", "SMSID": f"sms-{number}"}
        return {"error": 0, "message": "Success", "data": {"msg_id": f"zns-{number}"}}
