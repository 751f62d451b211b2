"""`python -m explainer review --base BASE_DATA --head data`: what a change does to the story.

A reviewer of a data pull request reads a text diff of YAML; what they need to judge is the
story: which records it adds, changes and removes, whose position moves on what, which editions
read differently, and which sources it newly relies on, with the flags an editor looks for
(caution, the reliability note, http, an exclusion). This computes that from the facts of the
two data folders, not from the diff, and writes Markdown for the pull request's job summary
(`$GITHUB_STEP_SUMMARY`). Every value from the data is escaped: a title cannot add a link, an
image or HTML to the summary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError
from ..facts.cut import cut
from ..facts.factbase import FactBase
from ..facts.kinds import KINDS
from ..facts.load import load_facts
from ..facts.models import Position, Record, Source

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&])")


def md(text: object) -> str:
    """`text` as inert Markdown: every character Markdown or HTML would act on is escaped, and
    line breaks become spaces."""
    return _MARKDOWN.sub(r"\\\1", " ".join(str(text).split()))


@dataclass(frozen=True)
class Move:
    """A party's current position on a topic, before and after the change."""

    actor: str
    topic: str
    before: Position | None
    after: Position | None
    party: str = ""
    """The actor's name."""
    subject: str = ""
    """The topic's name."""


@dataclass
class Review:
    """The difference between two sets of facts, as a reviewer reads it."""

    added: dict[str, list[Record]] = field(default_factory=dict)
    changed: dict[str, list[tuple[Record, Record]]] = field(default_factory=dict)
    removed: dict[str, list[Record]] = field(default_factory=dict)
    moves: list[Move] = field(default_factory=list)
    editions: list[tuple[str, str]] = field(default_factory=list)
    """(edition id, what happens to it): changed, added, removed."""
    new_citations: list[Source] = field(default_factory=list)
    """Sources the head cites that the base did not."""
    excluded: dict[str, str] = field(default_factory=dict)
    """Source id → why the policy excludes it (filled by the caller when a policy applies)."""

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed or self.moves or self.editions)


def _same(a: Record, b: Record) -> bool:
    return a.model_dump(mode="json", by_alias=True) == b.model_dump(mode="json", by_alias=True)


def review(base: FactBase, head: FactBase) -> Review:
    """What `head` changes in `base`."""
    result = Review()
    for key in KINDS:
        old, new = base.records[key], head.records[key]
        added = [new[i] for i in sorted(new.keys() - old.keys())]
        removed = [old[i] for i in sorted(old.keys() - new.keys())]
        changed = [(old[i], new[i]) for i in sorted(old.keys() & new.keys()) if not _same(old[i], new[i])]
        if added:
            result.added[key] = added
        if removed:
            result.removed[key] = removed
        if changed:
            result.changed[key] = changed
    for actor, topic in sorted(set(base.position_history) | set(head.position_history)):
        before, after = base.current_position(actor, topic), head.current_position(actor, topic)
        if (before is None) != (after is None) or (before and after and not _same(before, after)):
            names = {t.id: t.name for t in (*head.topics, *base.topics)}
            party = head.actors.get(actor) or base.actors.get(actor)
            result.moves.append(
                Move(actor, topic, before, after, party.name if party else actor, names.get(topic, topic))
            )
    result.editions = _editions(base, head)
    cited_before = set(base.citations)
    result.new_citations = [head.sources[sid] for sid in sorted(set(head.citations) - cited_before)]
    return result


def _editions(base: FactBase, head: FactBase) -> list[tuple[str, str]]:
    """Each edition whose cut of the facts differs between base and head, and how."""
    found = []
    old = {e.id: e for e in base.editions}
    new = {e.id: e for e in head.editions}
    for edition_id in sorted(old.keys() | new.keys()):
        if edition_id not in new:
            found.append((edition_id, "removed"))
        elif edition_id not in old:
            found.append((edition_id, "added"))
        else:
            a, b = cut(base, old[edition_id].cutoff.end), cut(head, new[edition_id].cutoff.end)
            if not _same(old[edition_id], new[edition_id]) or _cut_differs(a, b):
                found.append((edition_id, "changed"))
    return found


def _cut_differs(a: FactBase, b: FactBase) -> bool:
    for key in KINDS:
        x, y = a.records[key], b.records[key]
        if x.keys() != y.keys() or any(not _same(x[i], y[i]) for i in x):
            return True
    return False


# -- Markdown -------------------------------------------------------------------------------------


def _label(record: Record) -> str:
    return f"`{record_id(record)}` {md(record.label())}"


def record_id(record: Record) -> str:
    return str(getattr(record, "id", "")).replace("`", "")


def _position(position: Position | None) -> str:
    if position is None:
        return "none"
    return f"**{md(position.stance.value)}** ({md(position.date.human())}, `{record_id(position)}`)"


def _changed_fields(a: Record, b: Record) -> str:
    x, y = a.model_dump(mode="json", by_alias=True), b.model_dump(mode="json", by_alias=True)
    names = [k for k in dict.fromkeys([*x, *y]) if x.get(k) != y.get(k)]
    return ", ".join(f"`{n}`" for n in names)


def _flags(source: Source, excluded: dict[str, str]) -> str:
    flags = []
    if source.id in excluded:
        flags.append(f"⛔ excluded by the policy: {md(excluded[source.id])}")
    if source.caution:
        flags.append("⚠️ caution: corroborate before relying on it")
    if source.url and source.url.lower().startswith("http://"):
        flags.append("http://, not https")
    if source.url is None:
        flags.append("no address")
    if source.title_from_url:
        flags.append("title reconstructed from the address")
    if source.reliability:
        flags.append(f"reliability: {md(source.reliability)}")
    return "; ".join(flags) if flags else "no flags"


def summary(result: Review, title: str = "What this change does to the story") -> str:
    """The review as Markdown for a job summary."""
    out = [f"## {title}", ""]
    if result.empty:
        out += ["No fact is added, changed or removed, and no edition changes.", ""]
        return "\n".join(out)
    rows = []
    for key, kind in KINDS.items():
        counts = [len(result.added.get(key, [])), len(result.changed.get(key, [])), len(result.removed.get(key, []))]
        if any(counts):
            rows.append(f"| {kind.noun} | {counts[0]} | {counts[1]} | {counts[2]} |")
    if rows:
        out += ["| kind | added | changed | removed |", "| --- | ---: | ---: | ---: |", *rows, ""]
    moved = {record_id(m.after) for m in result.moves if m.after is not None}
    for heading, table in (("Added", result.added), ("Removed", result.removed)):
        lines = [
            f"- {KINDS[key].noun}: {_label(record)}"
            for key, records in table.items()
            for record in records
            if not (key == "positions" and record_id(record) in moved)
        ]
        if lines:
            out += [f"### {heading}", "", *lines, ""]
    changed = [
        f"- {KINDS[key].noun}: {_label(new)}: {_changed_fields(old, new)}"
        for key, pairs in result.changed.items()
        for old, new in pairs
    ]
    if changed:
        out += ["### Changed", "", *changed, ""]
    if result.moves:
        out += ["### Positions that moved", ""]
        for move in result.moves:
            out.append(
                f"- **{md(move.party)}** on **{md(move.subject)}**: {_position(move.before)} → {_position(move.after)}"
            )
        out.append("")
    out += ["### Editions", ""]
    if result.editions:
        out += [f"- `{edition}`: {how}" for edition, how in result.editions]  # ids are [0-9a-z-]
    else:
        out.append("No published edition changes: every change is dated after the latest cut-off.")
    out.append("")
    if result.new_citations:
        out += ["### Sources newly cited", ""]
        out += [
            f"- `{record_id(s)}` {md(s.publisher)}: {md(s.title)} ({_flags(s, result.excluded)})"
            for s in result.new_citations
        ]
        out.append("")
    return "\n".join(out)


def review_folders(base_dir: Path, head_dir: Path) -> str:
    """The summary for two data folders; a folder that does not load is reported, not raised."""
    loaded = {}
    for label, folder in (("base", base_dir), ("head", head_dir)):
        try:
            loaded[label] = load_facts(folder, cache=False).facts
        except DataError as exc:
            count = len(exc.diagnostics)
            return (
                "## What this change does to the story\n\n"
                f"The {label} data ({md(folder)}) does not load ({count} error{'s' * (count != 1)}); "
                "see the check's annotations.\n"
            )
    result = review(loaded["base"], loaded["head"])
    result.excluded = _excluded(head_dir, result.new_citations)
    return summary(result)


def _excluded(data_dir: Path, sources: list[Source]) -> dict[str, str]:
    from ..facts.loader import load_file
    from ..facts.policy import POLICY_FILE, Policy

    path = data_dir / POLICY_FILE
    if not path.is_file() or not sources:
        return {}
    loaded = load_file(path)
    if not isinstance(loaded.data, dict):
        return {}
    policy = Policy.model_validate(loaded.data)
    return {s.id: rule.reason for s in sources if (rule := policy.excluded_for(s)) is not None}
