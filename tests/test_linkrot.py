"""The link check (issue 13) against a local HTTP server on 127.0.0.1: never the internet."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from explainer.tools.linkrot import Answer, check_sources, fetch, report
from test_cli import run_cli

SOURCE = """\
  - id: {sid}
    publisher: P
    title: T
    url: {url}
    published: '2026-02-06'
    kind: news-report
"""


class Handler(BaseHTTPRequestHandler):
    seen: list[tuple[str, str]] = []

    def log_message(self, *args: object) -> None:
        pass

    def _answer(self) -> None:
        Handler.seen.append((self.command, self.path))
        if self.path == "/ok":
            self._send(200)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/no-head":
            self._send(405 if self.command == "HEAD" else 200)
        elif self.path == "/error":
            self._send(500)
        elif self.path == "/slow":
            time.sleep(2)
            self._send(200)
        else:
            self._send(404)

    def _send(self, status: int) -> None:
        body = b"page" if self.command == "GET" else b""
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_HEAD = _answer


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up (the slow page, a TLS probe) is not the test's concern


@pytest.fixture
def server() -> Iterator[str]:
    httpd = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    Handler.seen = []
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_fetch_sorts_the_answers(server: str) -> None:
    assert fetch(f"{server}/ok").ok
    moved = fetch(f"{server}/moved")
    assert moved.ok and moved.moved and moved.final == f"{server}/ok"
    assert fetch(f"{server}/gone").status == 404
    assert fetch(f"{server}/error").status == 500
    no_head = fetch(f"{server}/no-head")
    assert no_head.status == 200 and ("GET", "/no-head") in Handler.seen
    slow = fetch(f"{server}/slow", timeout=0.2)
    assert slow.status is None and not slow.ok


def test_nothing_listens_is_no_answer() -> None:
    answer = fetch("http://127.0.0.1:9/nothing", timeout=2)
    assert answer.status is None and answer.error


def test_the_command_reports_every_source_and_fails_on_rot(server: str, tmp_path: Path, fresh_cache: None) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "sources.yml").write_text(
        "sources:\n"
        + SOURCE.format(sid="src-ok", url=f"{server}/ok")
        + SOURCE.format(sid="src-moved", url=f"{server}/moved")
        + SOURCE.format(sid="src-gone", url=f"{server}/gone")
        + "    archive_url: "
        + f"{server}/ok\n",
        encoding="utf-8",
    )
    summary = tmp_path / "summary.md"
    result = run_cli(tmp_path, "links", "data", "--output", str(summary), "--timeout", "2")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"src-gone: url {server}/gone: 404"]
    text = summary.read_text(encoding="utf-8")
    assert "4 addresses checked: 1 broken, 1 redirected" in text
    assert "| `src-gone` | url | 404 |" in text
    assert "| `src-moved` |" in text
    assert sum(1 for method, _ in Handler.seen if method == "HEAD") <= 8, "each address asked once (and https)"


def test_an_http_address_that_answers_over_https_can_switch() -> None:
    from explainer.facts.models import Source

    source = Source(id="src-h", publisher="P", title="T", url="http://a.example/x", kind="news-report")
    answers = {"http://a.example/x": Answer("http://a.example/x", 200, "http://a.example/x")}
    answers["https://a.example/x"] = Answer("https://a.example/x", 200, "https://a.example/x")
    findings = check_sources([source], get=answers.__getitem__)
    assert findings[0].https is not None and findings[0].https.ok
    assert "### Can switch to https\n\n- `src-h`: http://a\\.example/x" in report(findings)
