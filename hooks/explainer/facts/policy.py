"""The source policy, kept in data: `data/policy.yml`, and the rules it switches on.

The dossier's editors exclude some publishers outright and flag others for corroboration; until
now that lived only in prose. With a `policy.yml` at the top of the data folder, every load of
the data (the check, a build, a preview) also applies:

- **excluded sources**: a source whose address is on an excluded domain (or, without an address,
  whose publisher is an excluded publisher) is an error, with the editors' reason;
- **caution needs unverified**: a statement (or a contested point's claim) whose every source is
  marked `caution: true` must say why it is `unverified:`;
- **http**: a source or archive address over plain `http://` is a warning: the check cannot know
  without the network whether the site serves https (the scheduled link check can), so the hint
  says what to do; an address kept as the dossier found it is listed under `http_as_found`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .kinds import KINDS
from .loader import LoadedFile
from .models import DataFile, HttpUrl, Record, Source, Text, describe_fields

POLICY_FILE = "policy.yml"
"""The policy's name at the top of the data folder; it holds no records."""

Domain = Annotated[
    str,
    Field(pattern=r"^[a-z0-9-]+(\.[a-z0-9-]+)+$", examples=["example.org"]),
]


class Excluded(BaseModel):
    """A publisher the editors exclude: no source on its domain may be cited."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    domain: Domain
    """The host, lowercase (`example.org`); its subdomains are excluded too."""
    publisher: Text
    """The publisher as its pages name it."""
    reason: Text
    """Why the editors exclude it, as the dossier says."""
    pages: list[HttpUrl] = Field(default_factory=list)
    """The pages the dossier examined, for the record."""


class HttpAsFound(BaseModel):
    """A source address kept over http:// as the dossier found it."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    url: HttpUrl
    """The address, exactly as a source record gives it."""
    note: Text | None = None
    """Why it stays http:// (for example: the site serves no https)."""


class Policy(BaseModel):
    """`data/policy.yml`: which sources may not be cited, and the addresses accepted over http://."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    excluded: list[Excluded] = Field(default_factory=list)
    """Publishers no statement may cite."""
    http_as_found: list[HttpAsFound] = Field(default_factory=list)
    """Addresses over http:// that the editors keep as found; any other is warned about."""

    def excluded_for(self, source: Source) -> Excluded | None:
        """The exclusion that `source` falls under, if any."""
        host = (urlsplit(source.url).hostname or "").lower().rstrip(".") if source.url else ""
        for rule in self.excluded:
            if host and (host == rule.domain or host.endswith("." + rule.domain)):
                return rule
            if not host and source.publisher.casefold() == rule.publisher.casefold():
                return rule
        return None


for _model in (Excluded, HttpAsFound, Policy):
    describe_fields(_model)


def read_policy(loaded: LoadedFile) -> Policy | None:
    """The policy in a parsed `policy.yml`; None, with the problems on `loaded`, if it is invalid."""
    if loaded.data is None:
        return None
    if not isinstance(loaded.data, dict):
        loaded.error(loaded.root, "policy.yml is a mapping: `excluded:` and `http_as_found:` lists")
        return None
    try:
        return Policy.model_validate(loaded.data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = list(err["loc"])
            node, _ = loaded.node_at(loc)
            field = next((str(s) for s in reversed(loc) if isinstance(s, str)), "value")
            if err["type"] == "extra_forbidden":
                node = loaded.key_node(loc) or node
                message = f"unknown field '{loc[-1]}' in the policy"
            elif err["type"] == "missing":
                message = f"missing required field '{field}'"
            else:
                message = f"{field}: {err['msg'].removeprefix('Value error, ')}"
            loaded.error(node, message)
        return None


def apply_policy(policy: Policy, files: list[tuple[LoadedFile, DataFile]], sources: Mapping[str, Source]) -> None:
    """Check every record against the policy; problems go on each file's diagnostics."""
    as_found = {entry.url for entry in policy.http_as_found}
    cautious = {sid for sid, source in sources.items() if source.caution}
    for loaded, data in files:
        for index, source in enumerate(data.sources):
            rule = policy.excluded_for(source)
            if rule is not None:
                node, _ = loaded.node_at(["sources", index, "url" if source.url else "publisher"])
                loaded.error(
                    node,
                    f"source '{source.id}': {rule.publisher} ({rule.domain}) is excluded by data/{POLICY_FILE}: "
                    f"{rule.reason}; remove the source and cite another for what rests on it",
                )
            for field in ("url", "archive_url"):
                url = getattr(source, field)
                if url and url[:7].lower() == "http://" and url not in as_found:
                    node, _ = loaded.node_at(["sources", index, field])
                    loaded.error(
                        node,
                        f"{field}: '{url[:80]}' is not https: use the https:// address if the site serves one; "
                        f"if it serves none, list the address under `http_as_found` in data/{POLICY_FILE}",
                        severity="warning",
                    )
        if cautious:
            for kind in KINDS:
                for index, record in enumerate(getattr(data, kind)):
                    _caution_needs_unverified(loaded, record, [kind, index], cautious, sources)


def _caution_needs_unverified(
    loaded: LoadedFile, record: Record | Any, loc: list[Any], cautious: set[str], sources: Mapping[str, Source]
) -> None:
    fields = type(record).model_fields  # asked first: a missing attribute is slow to look up on a model
    cited = getattr(record, "sources", None) if "sources" in fields else None
    if cited and "unverified" in fields and getattr(record, "unverified", None) is None:
        if all(sid in cautious for sid in cited):
            node, _ = loaded.node_at([*loc, "sources"])
            named = "; ".join(f"{sid}: {sources[sid].publisher}" for sid in dict.fromkeys(cited))
            loaded.error(
                node,
                f"every source of this statement is marked `caution: true` ({named}): set `unverified:` "
                "with the reason, or cite a source that corroborates it",
            )
    for index, claim in enumerate(getattr(record, "claims", ()) if "claims" in fields else ()):
        _caution_needs_unverified(loaded, claim, [*loc, "claims", index], cautious, sources)
