"""The `python -m explainer` command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import DataError, Diagnostic, DiagnosticError, ExplainerError
from ..facts.load import load_facts
from .annotations import annotation
from .scaffold import add_parsers
from .schema import POLICY_SCHEMA_FILE, SCHEMA_FILE, stale_schemas, write_schema


def main(argv: list[str] | None = None) -> int:
    """Run a subcommand; return the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m explainer", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser(
        "check",
        help="check the data and every page, as a build would",
        description=CHECK_DOC,
        epilog=CHECK_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("data_dir", nargs="?", default="data", type=Path, help="the data folder (default: data)")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument(
        "--config-file",
        type=Path,
        help="the site's mkdocs.yml, whose pages are checked too (default: mkdocs.yml beside the data folder, if any)",
    )
    check.add_argument("--no-pages", action="store_true", help="check the data only, not the pages")
    check.add_argument(
        "--format",
        choices=["text", "github"],
        default="text",
        help="text: `path:line:col: severity: message` lines on stderr; github: also GitHub Actions annotations "
        "(`::error file=…,line=…,col=…::…`) on stdout, shown on the pull request's diff",
    )
    check.set_defaults(run=_check)

    schema = commands.add_parser("schema", help="write the JSON Schema of data files")
    schema.add_argument("--out", default="schema", type=Path)
    schema.add_argument("--check", action="store_true", help="fail if the committed schema is stale")
    schema.set_defaults(run=_schema)

    review = commands.add_parser(
        "review",
        help="what a change does to the story, as Markdown for a pull request's summary",
        description=REVIEW_DOC,
        epilog=REVIEW_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    review.add_argument("--base", required=True, type=Path, help="the data folder before the change")
    review.add_argument("--head", default=Path("data"), type=Path, help="the data folder after it (default: data)")
    review.add_argument(
        "--output",
        type=Path,
        help="append the Markdown to this file (in CI: $GITHUB_STEP_SUMMARY) instead of printing it",
    )
    review.set_defaults(run=_review)

    links = commands.add_parser(
        "links",
        help="ask every source address (and archive copy) whether it still answers; report rot",
        description="Check every source address for rot: broken, redirected, and http:// addresses that "
        "also answer over https://. Makes requests to the sources' hosts: the scheduled workflow runs it.",
        epilog="examples:\n  python -m explainer links\n"
        '  python -m explainer links data --output "$GITHUB_STEP_SUMMARY"',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    links.add_argument("data_dir", nargs="?", default="data", type=Path, help="the data folder (default: data)")
    links.add_argument("--output", type=Path, help="append the Markdown report to this file instead of printing it")
    links.add_argument("--workers", type=int, default=4, help="requests at a time (default: 4)")
    links.add_argument("--timeout", type=float, default=15.0, help="seconds to wait for each answer (default: 15)")
    links.set_defaults(run=_links)

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

    new = commands.add_parser(
        "new",
        help="add a record with a fresh id where it belongs: source, event, quote or position",
        description=NEW_DOC,
        epilog=NEW_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_parsers(new)
    new.set_defaults(run=_new)

    args = parser.parse_args(argv)
    return args.run(args)


CHECK_DOC = """\
Check everything a build checks, in seconds: every data file (syntax, fields, dates, ids and
references, the source policy in data/policy.yml), then, when the project has an mkdocs.yml,
every page of docs/ and every generated page, rendered for every edition (directive names,
options and ids; no script; no links out of the project). Problems print as
`path:line:col: severity: message`; the exit status is 1 if there is an error.
"""
CHECK_EXAMPLES = """\
examples:
  python -m explainer check                      # data/ and, with mkdocs.yml beside it, docs/
  python -m explainer check --strict             # warnings fail too (as CI runs it)
  python -m explainer check data --no-pages      # the data only
  python -m explainer check --format github      # in a GitHub Actions step: annotations on the diff
"""


def _check(args: argparse.Namespace) -> int:
    github = args.format == "github"

    def show(diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]) -> None:
        for diagnostic in diagnostics:
            print(diagnostic, file=sys.stderr)
            if github:
                print(annotation(diagnostic))

    def failed(diagnostics: list[Diagnostic]) -> int:
        show(diagnostics)
        count = len(diagnostics)
        print(f"{count} error{'s' * (count != 1)}", file=sys.stderr)
        return 1

    try:
        loaded = load_facts(args.data_dir, strict=args.strict)
    except DataError as exc:
        return failed(exc.diagnostics)
    config_file = args.config_file or args.data_dir.parent / "mkdocs.yml"
    pages = None
    if not args.no_pages and (args.config_file or config_file.is_file()):
        if not config_file.is_file():
            return failed([Diagnostic(str(config_file), 1, 1, "error", "no such file")])
        from .pages import check_pages

        pages = check_pages(config_file, loaded.facts, args.data_dir)
        if pages.diagnostics:
            show(loaded.warnings)
            return failed(sorted(pages.diagnostics))
    show(loaded.warnings)
    show(loaded.notes)
    drafts = f", {len(loaded.notes)} not in any edition yet" if loaded.notes else ""
    checked = f"; {pages.pages} pages in {pages.editions} editions" if pages else ""
    print(f"ok: {loaded.facts.count} records, {len(loaded.warnings)} warnings{drafts}{checked}")
    return 0


REVIEW_DOC = """\
Compare the facts of two data folders and say, as an editor would, what the change does to the
story: records added, changed and removed by kind, positions that moved, editions whose content
changes, and sources newly cited with their reliability flags. Computed from the facts, not from
the text diff, so moving a record between files or reformatting it shows as nothing.
"""
REVIEW_EXAMPLES = """\
examples:
  git worktree add /tmp/base origin/main && python -m explainer review --base /tmp/base/data
  python -m explainer review --base base/data --head data --output "$GITHUB_STEP_SUMMARY"
"""


def _review(args: argparse.Namespace) -> int:
    from .review import review_folders

    text = review_folders(args.base, args.head)
    if args.output:
        with args.output.open("a", encoding="utf-8") as out:
            out.write(text + "\n")
    else:
        print(text)
    return 0


def _links(args: argparse.Namespace) -> int:
    from .linkrot import check_data

    try:
        findings, text = check_data(args.data_dir, workers=args.workers, timeout=args.timeout)
    except DataError as exc:
        print(exc, file=sys.stderr)
        return 1
    if args.output:
        with args.output.open("a", encoding="utf-8") as out:
            out.write(text + "\n")
    else:
        print(text)
    broken = [f for f in findings if not f.answer.ok]
    for finding in broken:
        status = finding.answer.status or finding.answer.error
        print(f"{finding.source.id}: {finding.field} {finding.answer.url}: {status}", file=sys.stderr)
    return 1 if broken else 0


def _schema(args: argparse.Namespace) -> int:
    if args.check:
        stale = stale_schemas(args.out)
        for name in stale:
            print(f"{args.out / name}: error: stale; run `python -m explainer schema`", file=sys.stderr)
        if stale:
            return 1
        print("ok: schema is current")
        return 0
    write_schema(args.out)
    print(f"wrote {args.out / SCHEMA_FILE} and {args.out / POLICY_SCHEMA_FILE}")
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


NEW_DOC = """\
Add a record with a fresh, well-formed id where it belongs: a position in its party's file
under its topic's heading, an event or a source in the file of its period, a quote among those
of its date, each in date order and in the file's own style. Every field of the kind is an
option (`python -m explainer new KIND --help` lists them). Nothing is written unless the data,
with the record added, passes the check; --dry-run shows where and what without writing.
"""
NEW_EXAMPLES = """\
examples:
  python -m explainer new source --publisher "Associated Press" --title "Headline as published" \\
      --url https://apnews.com/article/... --published 2026-02-06 --kind news-report
  python -m explainer new event --date 2026-02-06 --title "Talks in Muscat" \\
      --summary "Oman says ..." --participant iran,united-states --source src-associated-press-2026-02-06
  python -m explainer new quote --speaker abbas-araghchi --date 2026-02-07 --text "exact words" \\
      --context "To reporters in Muscat." --source src-...
  python -m explainer new position --actor iran --topic missiles --date 2026-02-07 --stance rejects \\
      --summary "Iran says its missiles are not negotiable." --source src-... --dry-run
"""


def _new(args: argparse.Namespace) -> int:
    from .scaffold import ScaffoldError, add, describe, record_from_args

    try:
        record = record_from_args(args.kind, vars(args))
        added = add(args.kind, record, args.data_dir, record_id=args.record_id, dry_run=args.dry_run)
        count = None if args.dry_run else load_facts(args.data_dir).facts.count
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except DataError as exc:
        print(exc, file=sys.stderr)
        return 1
    for line in describe(added, args.kind, count):
        print(line)
    return 0
