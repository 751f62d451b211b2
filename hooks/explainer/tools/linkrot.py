"""`python -m explainer links`: check every source address for rot, and report.

Sources are cited by address; pages move and vanish. This asks each address (and each archive
copy) once, with a bounded number of requests running at a time and a timeout on each, and
sorts the answers: working, redirected (where to), broken (the status, or why there was no
answer). For an `http://` address it also asks the `https://` one, so the report says which
sources can switch. The scheduled workflow `.github/workflows/links.yml` runs it weekly and puts
the report in the run's summary; nothing else ever makes a request to another host.
"""

from __future__ import annotations

import ssl
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.client import HTTPException
from pathlib import Path

from ..facts.load import load_facts
from ..facts.models import Source
from .review import md

USER_AGENT = "explainer-link-check/1 (checks that cited sources still answer)"
TIMEOUT = 15.0
WORKERS = 4
MAX_BYTES = 64 * 1024
"""Most of a body read from a GET: enough to know the page answers, never a whole download."""


@dataclass(frozen=True)
class Answer:
    """What one address answered."""

    url: str
    status: int | None
    """The HTTP status, or None when there was no answer."""
    final: str
    """Where redirects ended."""
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 400

    @property
    def moved(self) -> bool:
        return self.ok and self.final.rstrip("/") != self.url.rstrip("/")


Fetch = Callable[[str], Answer]


class _NoRedirectLoop(urllib.request.HTTPRedirectHandler):
    max_redirections = 5


def fetch(url: str, timeout: float = TIMEOUT) -> Answer:
    """Ask `url` with HEAD, then GET when HEAD is refused; never raises."""
    opener = urllib.request.build_opener(_NoRedirectLoop())
    last: Answer | None = None
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        try:
            with opener.open(request, timeout=timeout) as response:
                if method == "GET":
                    response.read(MAX_BYTES)
                return Answer(url, response.status, response.geturl())
        except urllib.error.HTTPError as exc:
            last = Answer(url, exc.code, exc.geturl() or url, exc.reason if isinstance(exc.reason, str) else "")
            if exc.code not in (403, 405, 501):  # only these may mean "not with HEAD"
                return last
        except (TimeoutError, urllib.error.URLError, HTTPException, OSError, ValueError, ssl.SSLError) as exc:
            reason = getattr(exc, "reason", exc)
            return Answer(url, None, url, str(reason) or type(exc).__name__)
    assert last is not None
    return last


@dataclass(frozen=True)
class Finding:
    """A source's address (or archive copy) and what it answered."""

    source: Source
    field: str
    answer: Answer
    https: Answer | None = None
    """For an http:// address, what the https:// one answered."""


def check_sources(
    sources: Iterable[Source], get: Fetch = fetch, workers: int = WORKERS, probe_https: bool = True
) -> list[Finding]:
    """Ask every address of `sources`, `workers` at a time; each address once."""
    wanted: list[tuple[Source, str, str]] = []
    for source in sources:
        for name in ("url", "archive_url"):
            url = getattr(source, name)
            if url:
                wanted.append((source, name, url))
    urls = sorted({url for _, _, url in wanted})
    secure = sorted({"https://" + u[7:] for u in urls if probe_https and u[:7].lower() == "http://"})
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        answers = dict(zip([*urls, *secure], pool.map(get, [*urls, *secure]), strict=True))
    found = []
    for source, name, url in wanted:
        https = answers.get("https://" + url[7:]) if url[:7].lower() == "http://" else None
        found.append(Finding(source, name, answers[url], https))
    return found


def report(findings: list[Finding]) -> str:
    """The findings as Markdown: broken first, then moved, then http addresses that can switch."""
    broken = [f for f in findings if not f.answer.ok]
    moved = [f for f in findings if f.answer.moved]
    upgradable = [f for f in findings if f.https is not None and f.https.ok]
    out = [
        "## Source links",
        "",
        f"{len(findings)} addresses checked: {len(broken)} broken, {len(moved)} redirected, "
        f"{len(upgradable)} http:// addresses that also answer over https://.",
        "",
    ]
    if broken:
        out += ["### Broken", "", "| source | field | answer | address |", "| --- | --- | --- | --- |"]
        for f in broken:
            why = str(f.answer.status) if f.answer.status is not None else f"no answer: {md(f.answer.error)}"
            archive = "" if f.source.archive_url else " (no archive copy: add `archive_url`)"
            out.append(f"| `{f.source.id}` | {f.field} | {why}{archive} | {md(f.answer.url)} |")
        out.append("")
    if moved:
        out += ["### Redirected", "", "| source | from | to |", "| --- | --- | --- |"]
        out += [f"| `{f.source.id}` | {md(f.answer.url)} | {md(f.answer.final)} |" for f in moved]
        out.append("")
    if upgradable:
        out += ["### Can switch to https", ""]
        out += [f"- `{f.source.id}`: {md(f.answer.url)}" for f in upgradable]
        out.append("")
    return "\n".join(out)


def check_data(data_dir: Path, workers: int = WORKERS, timeout: float = TIMEOUT) -> tuple[list[Finding], str]:
    """Check every source of the data in `data_dir`; the findings and their report."""
    facts = load_facts(data_dir).facts
    findings = check_sources(facts.sources.values(), lambda url: fetch(url, timeout), workers)
    return findings, report(findings)
