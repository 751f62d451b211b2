"""Measure the reader's site: Lighthouse 12 (mobile), the Nu HTML checker, axe-core in both
palettes, bytes on a first visit, page length on a desktop and a phone, and requests to other hosts.

    python benchmarks/lighthouse/measure.py [--site PUBLISHED_DIR] [--out results.json] [--label NAME]
                                            [--pages home,history,...] [--no-lighthouse] [--gzip]

Without --site it publishes the site as the browser tests do (`explainer publish` into a
throw-away repository, real data when it checks clean) and measures the latest edition. The site
is served on 127.0.0.1 by Python's http.server: uncompressed by default (the worst case), or
with `--gzip` compressed as GitHub Pages serves text files. Figures are written per page into
the JSON file under `--label` (so "before" and "after" runs sit side by side).

Needs: node_modules (lighthouse, vnu-jar, axe-core: `npm ci`), Debian's /usr/bin/chromium,
Java 17 for vnu.jar, Playwright for Python.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests" / "browser"), str(ROOT / "tests")]

from browser_support import (  # noqa: E402 - the path above
    AXE_JS,
    AXE_RUN,
    CHROMIUM,
    CHROMIUM_ARGS,
    QuietHandler,
    choose_data,
    page_paths,
    publish_site,
)

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
RESULTS = Path(__file__).resolve().parent / "results.json"
PAGES = [
    "home",
    "positions",
    "history",
    "regional-roles",
    "person",
    "topic",
    "contested",
    "contested-point",
    "glossary",
    "sources",
    "what-changed",
    "about",
]
"""The pages the reader's-site goals are measured on (issue 12)."""
SCREENS = {"desktop": (1366, 900), "phone": (390, 844)}

COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml")


class GzipHandler(QuietHandler):
    """Text files gzip-compressed when the client accepts it, as GitHub Pages serves them."""

    cache: dict[str, bytes] = {}

    def send_head(self):  # type: ignore[no-untyped-def]
        path = self.translate_path(self.path)
        if Path(path).is_dir():
            path = str(Path(path) / "index.html")
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.endswith(COMPRESSED):
            return super().send_head()
        if not Path(path).is_file():
            return super().send_head()
        if Path(self.translate_path(self.path)).is_dir() and not self.path.split("?")[0].endswith("/"):
            return super().send_head()  # the redirect to the folder's URL
        body = self.cache.get(path)
        if body is None:
            body = self.cache[path] = gzip.compress(Path(path).read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


LENGTH = """() => {
  const heads = [...document.querySelectorAll("article.md-content__inner h2")];
  const last = heads.length ? heads[heads.length - 1].getBoundingClientRect().top + window.scrollY : 0;
  return [document.documentElement.scrollHeight, Math.round(last), heads.length];
}"""


def lighthouse(url: str, out: Path) -> dict[str, Any]:
    """One Lighthouse run (its default: mobile, simulated throttling); the figures we keep."""
    flags = " ".join(a for a in CHROMIUM_ARGS if a != "--headless") + " --headless=new"
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            f"--chrome-path={CHROMIUM}",
            f"--chrome-flags={flags}",
            "--only-categories=performance,accessibility,best-practices,seo",
            "--output=json",
            f"--output-path={out}",
            "--quiet",
        ],
        check=True,
        cwd=ROOT,
        timeout=300,
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    failed = {
        category: sorted(
            ref["id"]
            for ref in report["categories"][category]["auditRefs"]
            if ref["weight"] and (audits[ref["id"]].get("score") is not None) and audits[ref["id"]]["score"] < 1
        )
        for category in ("accessibility", "best-practices", "seo")
    }
    requests = audits["network-requests"]["details"]["items"]
    host = urlsplit(url).netloc
    return {
        "scores": {k: round(v["score"] * 100) for k, v in report["categories"].items()},
        "metrics": {
            k: round(audits[k]["numericValue"])
            for k in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "speed-index")
        }
        | {"cumulative-layout-shift": round(audits["cumulative-layout-shift"]["numericValue"], 3)},
        "bytes": round(audits["total-byte-weight"]["numericValue"]),
        "largest": sorted(
            ((r["url"].split(host, 1)[-1], r.get("transferSize", 0)) for r in requests),
            key=lambda x: -x[1],
        )[:4],
        "third_party_requests": [r["url"] for r in requests if urlsplit(r["url"]).netloc not in (host, "")],
        "failed_audits": {k: v for k, v in failed.items() if v},
        "dom_size": round(audits["dom-size"]["numericValue"]),
    }


def nu_checker(files: dict[str, Path]) -> dict[str, dict[str, Any]]:
    """Nu HTML checker errors per page, with the distinct messages."""
    proc = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--errors-only", *map(str, files.values())],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(proc.stderr or '{"messages": []}')["messages"]
    by_file: dict[str, dict[str, Any]] = {kind: {"errors": 0, "messages": {}} for kind in files}
    where = {"file:" + str(path.resolve()): kind for kind, path in files.items()}
    for message in messages:
        kind = where.get(message.get("url", ""))
        if kind is None or message.get("type") != "error":
            continue
        entry = by_file[kind]
        entry["errors"] += 1
        text = message["message"][:140]
        entry["messages"][text] = entry["messages"].get(text, 0) + 1
    return by_file


def browser_figures(urls: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Page length on a desktop and a phone, axe serious/critical in both palettes, other hosts."""
    from playwright.sync_api import sync_playwright

    figures: dict[str, dict[str, Any]] = {kind: {} for kind in urls}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for screen, (width, height) in SCREENS.items():
            context = browser.new_context(viewport={"width": width, "height": height}, service_workers="block")
            for kind, url in urls.items():
                page = context.new_page()
                page.goto(url, wait_until="load")
                total, last, heads = page.evaluate(LENGTH)
                figures[kind][screen] = {
                    "height_px": total,
                    "screens": round(total / height, 1),
                    "last_section_heading_screens": round(last / height, 1),
                    "section_headings": heads,
                }
                page.close()
            context.close()
        for scheme in ("light", "dark"):
            context = browser.new_context(color_scheme=scheme, service_workers="block")
            for kind, url in urls.items():
                page = context.new_page()
                requests: list[str] = []
                page.on("request", lambda r, into=requests: into.append(r.url))
                page.goto(url, wait_until="load")
                page.wait_for_timeout(300)
                page.add_script_tag(path=str(AXE_JS))
                violations = page.evaluate(AXE_RUN)
                host = urlsplit(url).netloc
                figures[kind][f"axe_{scheme}"] = sorted(
                    f"{v['id']} ({v['impact']})" for v in violations if v["impact"] in ("serious", "critical")
                )
                figures[kind].setdefault("other_hosts", [])
                figures[kind]["other_hosts"] += [
                    u for u in requests if urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc != host
                ]
                page.close()
            context.close()
        browser.close()
    return figures


def measure(site_root: Path, pages: list[str], with_lighthouse: bool, compress: bool = False) -> dict[str, Any]:
    versions = json.loads((site_root / "versions.json").read_text(encoding="utf-8"))
    latest = next(v["version"] for v in versions if "latest" in v["aliases"])
    facts = json.loads((site_root / latest / "data" / "facts.json").read_text(encoding="utf-8"))
    paths = page_paths(site_root / latest, facts)
    handler = GzipHandler if compress else QuietHandler
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site_root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/{latest}/"
    urls = {kind: base + paths[kind] for kind in pages}
    try:
        results: dict[str, Any] = {
            kind: {"path": paths[kind], "html_bytes": (site_root / latest / paths[kind] / "index.html").stat().st_size}
            for kind in pages
        }
        nu = nu_checker({kind: site_root / latest / paths[kind] / "index.html" for kind in pages})
        every = sorted((site_root / latest).rglob("*.html"))
        whole = nu_checker({str(p.relative_to(site_root / latest)): p for p in every})
        for kind in pages:
            results[kind]["nu"] = nu[kind]
        for kind, figures in browser_figures(urls).items():
            results[kind].update(figures)
        if with_lighthouse:
            with tempfile.TemporaryDirectory() as tmp:
                for kind in pages:
                    print(f"lighthouse: {kind}", file=sys.stderr, flush=True)
                    results[kind]["lighthouse"] = lighthouse(urls[kind], Path(tmp) / f"{kind}.json")
        index = site_root / latest / "search" / "search_index.json"
        return {
            "edition": latest,
            "served": "gzip" if compress else "uncompressed",
            "search_index_bytes": index.stat().st_size if index.exists() else None,
            "nu_errors_whole_site": sum(v["errors"] for v in whole.values()),
            "nu_pages_with_errors": sorted(k for k, v in whole.items() if v["errors"]),
            "pages": results,
        }
    finally:
        server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a published branch's files (default: publish one now)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--label", default="after")
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--gzip", action="store_true", help="serve text gzip-compressed, as GitHub Pages does")
    args = parser.parse_args()
    pages = [p for p in args.pages.split(",") if p]
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            os.environ.pop("EXPLAINER_EDITION", None)
            site = publish_site(Path(tmp), choose_data(Path(tmp)))
        started = time.time()
        figures = measure(site, pages, not args.no_lighthouse, args.gzip)
    figures["measured_in_s"] = round(time.time() - started)
    stored = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    stored[args.label] = figures
    args.out.write_text(json.dumps(stored, indent=1, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")
    print(json.dumps(summary(figures), indent=1))


def summary(figures: dict[str, Any]) -> dict[str, Any]:
    """One line per page: the figures the goals are about."""
    rows = {}
    for kind, page in figures["pages"].items():
        light = page.get("lighthouse", {})
        rows[kind] = {
            "lh": light.get("scores"),
            "kB": round(light["bytes"] / 1000) if light else None,
            "nu": page["nu"]["errors"],
            "axe": len(page.get("axe_light", [])) + len(page.get("axe_dark", [])),
            "desktop_screens": page["desktop"]["screens"],
            "phone_screens_to_last_h2": page["phone"]["last_section_heading_screens"],
            "other_hosts": len(page.get("other_hosts", [])),
        }
    return {
        "search_index_bytes": figures["search_index_bytes"],
        "nu_whole_site": figures["nu_errors_whole_site"],
        **rows,
    }


if __name__ == "__main__":
    main()
