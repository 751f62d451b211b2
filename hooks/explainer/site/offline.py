"""The offline copy of an edition: the site built to be read from `file://`, and its ZIP archive.

`explainer publish` builds each edition a second time with `OFFLINE_ENV` set, zips it with
`write_archive`, and tells the edition's real build where the archive is through `ARCHIVE_ENV`,
so that its banner and About page link to it (`SiteBuild.configure` reads both). Built offline,
an edition:

- keeps its folder URLs, but every link to a folder names the folder's `index.html`
  (`folder_links`): a browser opening files shows a folder's listing, not its page;
- has its search index as a script, `search/search_index.js`, which Material's script loads
  instead of the JSON when the page is a file, each result's address naming its page file; and
  its search worker runs in a hidden frame (the theme's `main.html`), because Chromium starts no
  worker from a file. Material's own `offline` plugin writes the same script, but loads its
  worker shim from a third-party host, which this site never does;
- has no edition selector (it would fetch `versions.json`), no site address (canonical and
  sharing links would lead out of the copy), no sitemap, no 404 page and no source maps.

The archive holds one folder named after it, files in sorted order, each dated the edition's
cut-off, so the same build gives a byte-identical archive.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import ExplainerError, get_logger

log = get_logger(__name__)

OFFLINE_ENV = "EXPLAINER_OFFLINE"
"""Set to `1`, the build is the offline copy of its edition."""
ARCHIVE_ENV = "EXPLAINER_ARCHIVE"
"""The edition's archive as its pages link to it, `{"path": ..., "size": bytes}` (see `Archive`);
unset, the pages do not link to one (a preview has none)."""
ARCHIVE_FOLDER = "download"
"""Where in an edition's site its archive lives."""
LEFT_OUT = ("404.html", "sitemap.xml")
"""Theme pages an offline copy has no use for: the 404 page's links start at the server's root."""
SEARCH_INDEX = "search/search_index.json"
SEARCH_SCRIPT = "search/search_index.js"
"""The file Material's script loads instead of the index when the page is a file."""

_LINK_TAG = re.compile(r"<(?:a|link)\s[^>]*>", re.IGNORECASE)
"""A link's start tag (`<link rel="prev">` too). In text, `<` is escaped; scripts on a page hold
no `<a ` or `<link `."""
_HREF = re.compile(r'(\shref=")([^"]*)(")', re.IGNORECASE)
_NOT_RELATIVE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|/|\\)", re.IGNORECASE)


@dataclass(frozen=True)
class Archive:
    """An edition's archive as its pages show it: its path in the edition's site and its size."""

    path: str
    size: int
    """In bytes."""

    def size_words(self) -> str:
        """The size as a reader reads it: `1.7 MB`, `640 KB`."""
        if self.size >= 1_000_000:
            return f"{self.size / 1_000_000:.1f} MB"
        return f"{max(1, round(self.size / 1000))} KB"

    def to_env(self) -> str:
        return json.dumps({"path": self.path, "size": self.size}, sort_keys=True)

    @classmethod
    def from_env(cls) -> Archive | None:
        """The archive named by `ARCHIVE_ENV`; None when it is unset; ExplainerError if it is garbled."""
        raw = os.environ.get(ARCHIVE_ENV)
        if not raw:
            return None
        try:
            value = json.loads(raw)
            archive = cls(str(value["path"]), int(value["size"]))
        except (ValueError, TypeError, KeyError) as exc:
            raise ExplainerError(f'{ARCHIVE_ENV}={raw!r}: expected {{"path": "...", "size": bytes}} ({exc})') from None
        if not _is_inside(archive.path):
            raise ExplainerError(f"{ARCHIVE_ENV}: {archive.path!r} is not a path inside the edition's site")
        return archive


def is_offline() -> bool:
    """Whether this build is an edition's offline copy (`OFFLINE_ENV=1`)."""
    return os.environ.get(OFFLINE_ENV) == "1"


def archive_name(site_name: str, edition_id: str) -> str:
    """The archive's file name, `<site-name-as-words>-<edition>.zip`: a reader who keeps several
    editions tells them apart; it is also the folder the archive unzips into."""
    letters = "".join(c for c in unicodedata.normalize("NFKD", site_name) if not unicodedata.combining(c))
    words = re.sub(r"[^a-z0-9]+", "-", letters.lower()).strip("-") or "site"
    return f"{words}-{edition_id}.zip"


def configure(config: Any) -> None:
    """Make a MkDocs config build the offline copy (see the module's notes)."""
    config.site_url = None
    config.extra["version"] = None  # no edition selector: it fetches versions.json
    config.extra["offline"] = True  # main.html: the banner's wording, the search worker's frame
    for name in LEFT_OUT:
        config.theme.static_templates.discard(name)


def finish(site_dir: Path) -> None:
    """Finish the offline copy built at `site_dir`: its search index as a script (MkDocs runs the
    hooks after the search plugin has written the index), without source maps (they serve only
    developers) or the theme templates `configure` left unbuilt, which MkDocs copies as they are."""
    write_search_script(site_dir)
    for path in sorted(site_dir.rglob("*")):
        relative = path.relative_to(site_dir).as_posix()
        if path.is_file() and (relative.endswith(".map") or relative in LEFT_OUT):
            path.unlink()


def folder_links(page: str) -> str:
    """`page` (a whole HTML document) with every relative link to a folder naming its `index.html`."""
    return _LINK_TAG.sub(lambda tag: _HREF.sub(_file_href, tag.group(0)), page)


def _file_href(match: re.Match[str]) -> str:
    return f"{match.group(1)}{file_address(match.group(2), empty_is_folder=False)}{match.group(3)}"


def file_address(href: str, *, empty_is_folder: bool) -> str:
    """`href` naming its folder's `index.html` when it is a relative address of a folder (`x/`,
    `../`, `.`, `x/#a`); other addresses as they are. An empty path is the page itself in a link,
    but the site's root in the search index (`empty_is_folder`)."""
    if _NOT_RELATIVE.match(href):
        return href
    cut = min((i for i in (href.find("#"), href.find("?")) if i >= 0), default=len(href))
    path, rest = href[:cut], href[cut:]
    if not path and not empty_is_folder:
        return href
    if path.rsplit("/", 1)[-1] in (".", ".."):
        path += "/"
    if path and not path.endswith("/"):
        return href
    return f"{path}index.html{rest}"


def write_search_script(site_dir: Path) -> None:
    """Replace the built search index by the script Material loads from a file, each result's
    address naming its page file. Nothing to do if the build wrote no index."""
    index = site_dir / SEARCH_INDEX
    if not index.is_file():
        return
    data = json.loads(index.read_text(encoding="utf-8"))
    for doc in data.get("docs", []):
        doc["location"] = file_address(doc["location"], empty_is_folder=True)
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    (site_dir / SEARCH_SCRIPT).write_text(f"var __index = {payload};\n", encoding="utf-8")
    index.unlink()


def write_archive(site_dir: Path, target: Path, dated: date) -> int:
    """Zip the site at `site_dir` into `target`, inside one folder named after the archive;
    every entry dated `dated` (at midnight), in sorted order, so the same site gives the same
    bytes. The archive's size in bytes; ExplainerError on a link or a name that leaves the folder."""
    folder = target.name.removesuffix(".zip")
    stamp = (max(dated.year, 1980), dated.month, dated.day, 0, 0, 0)  # ZIP dates start in 1980
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(site_dir.rglob("*")):
            relative = path.relative_to(site_dir).as_posix()
            if path.is_symlink() or not _is_inside(relative):
                raise ExplainerError(f"{path}: an offline archive holds only plain files inside the site")
            if path.is_file():
                entry = zipfile.ZipInfo(f"{folder}/{relative}", date_time=stamp)
                entry.create_system = 3  # Unix, whatever the publisher's system
                entry.external_attr = 0o644 << 16
                entry.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(entry, path.read_bytes())
    size = target.stat().st_size
    log.debug("%s: %d bytes", target, size)
    return size


def _is_inside(relative: str) -> bool:
    """Whether a relative POSIX path stays inside its folder."""
    parts = relative.split("/")
    return bool(relative) and not _NOT_RELATIVE.match(relative) and ".." not in parts and "" not in parts
