"""The `python -m explainer` command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import DataError, DiagnosticError, ExplainerError
from ..facts.load import load_facts
from ..facts.models import SourceKind, Stance
from .schema import SCHEMA_FILE, stale_schema, write_schema


def main(argv: list[str] | None = None) -> int:
    """Run a subcommand; return the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m explainer", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="validate the data files")
    check.add_argument("data_dir", nargs="?", default="data", type=Path)
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.set_defaults(run=_check)

    schema = commands.add_parser("schema", help="write the JSON Schema of data files")
    schema.add_argument("--out", default="schema", type=Path)
    schema.add_argument("--check", action="store_true", help="fail if the committed schema is stale")
    schema.set_defaults(run=_schema)

    publish = commands.add_parser("publish", help="build every edition and deploy them with mike")
    publish.add_argument("--branch", default="gh-pages", help="branch to deploy to (gh-pages)")
    publish.add_argument("--config-file", default="mkdocs.yml", type=Path)
    publish.add_argument("--push", action="store_true", help="push the branch when done")
    publish.add_argument("--remote", default="origin")
    publish.set_defaults(run=_publish)

    render = commands.add_parser("render", help="write every page as plain Markdown, facts inlined")
    render.add_argument("out_dir", type=Path)
    render.add_argument("--config-file", default="mkdocs.yml", type=Path)
    render.add_argument("--edition", help="edition id (default: the latest)")
    render.set_defaults(run=_render)

    new = commands.add_parser("new", help="append a new record with a fresh id to the right file")
    new.add_argument("--data-dir", default="data", type=Path)
    kinds = new.add_subparsers(dest="kind", required=True)
    source = kinds.add_parser("source", help="a publication")
    source.add_argument("--publisher", required=True)
    source.add_argument("--title", required=True, help="the headline as published")
    source.add_argument("--url", required=True)
    source.add_argument("--published", required=True, help="YYYY-MM-DD as shown by the page")
    source.add_argument("--kind", dest="source_kind", default="news-report", choices=[k.value for k in SourceKind])
    event = kinds.add_parser("event", help="something that happened")
    event.add_argument("--date", required=True)
    event.add_argument("--title", required=True)
    event.add_argument("--summary", required=True)
    quote = kinds.add_parser("quote", help="words someone said, verbatim")
    quote.add_argument("--speaker", required=True, help="actor id")
    quote.add_argument("--date", required=True)
    quote.add_argument("--text", required=True)
    quote.add_argument("--context", required=True)
    position = kinds.add_parser("position", help="what a party holds on a topic")
    position.add_argument("--actor", required=True)
    position.add_argument("--topic", required=True)
    position.add_argument("--date", required=True)
    position.add_argument("--stance", required=True, choices=[s.value for s in Stance])
    position.add_argument("--summary", required=True, help="in the party's own terms, attributed")
    for sub in (event, quote, position):
        sub.add_argument("--source", required=True, action="append", help="source id (repeatable)")
    new.set_defaults(run=_new)

    args = parser.parse_args(argv)
    return args.run(args)


def _check(args: argparse.Namespace) -> int:
    try:
        loaded = load_facts(args.data_dir, strict=args.strict)
    except DataError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        count = len(exc.diagnostics)
        print(f"{count} error{'s' * (count != 1)}", file=sys.stderr)
        return 1
    for warning in loaded.warnings:
        print(warning, file=sys.stderr)
    for note in loaded.notes:
        print(note, file=sys.stderr)
    drafts = f", {len(loaded.notes)} not in any edition yet" if loaded.notes else ""
    print(f"ok: {loaded.facts.count} records, {len(loaded.warnings)} warnings{drafts}")
    return 0


def _schema(args: argparse.Namespace) -> int:
    if args.check:
        if stale_schema(args.out):
            print(f"{args.out / SCHEMA_FILE}: error: stale; run `python -m explainer schema`", file=sys.stderr)
            return 1
        print("ok: schema is current")
        return 0
    print(f"wrote {write_schema(args.out)}")
    return 0


def _publish(args: argparse.Namespace) -> int:
    try:
        from .publish import PublishError, PublishInterrupted, publish  # imports MkDocs: only when publishing
    except KeyboardInterrupt:
        print("interrupted: nothing was deployed", file=sys.stderr)
        return 130
    try:
        outcome = publish(args.config_file, args.branch, push=args.push, remote=args.remote, report=_say)
    except PublishInterrupted as exc:
        print(exc, file=sys.stderr)
        return 130
    except PublishError as exc:  # its message says what the branch holds
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except DataError as exc:
        print(f"{exc}\nnothing was deployed", file=sys.stderr)
        return 1
    except ExplainerError as exc:
        print(f"error: {exc}\nnothing was deployed", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # only after publishing ended: publish() turns any earlier one into an error
        print("interrupted", file=sys.stderr)
        return 130
    print(outcome.summary(args.branch))
    return 0


def _say(line: str) -> None:
    print(line, flush=True)


def _render(args: argparse.Namespace) -> int:
    from .links import LinkError
    from .render import render_site

    try:
        count = render_site(args.config_file, args.out_dir, args.edition)
    except (DiagnosticError, LinkError) as exc:  # each line names its place
        print(exc, file=sys.stderr)
        return 1
    except ExplainerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {count} pages and {args.out_dir / 'mkdocs.yml'}")
    return 0


def _new(args: argparse.Namespace) -> int:
    from .scaffold import ScaffoldError, scaffold

    try:
        path, record_id = scaffold(args.kind, vars(args), args.data_dir)
        loaded = load_facts(args.data_dir)
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except DataError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"added {args.kind} '{record_id}' to {path} ({loaded.facts.count} records, all valid)")
    return 0
