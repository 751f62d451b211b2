"""Diagnostics as GitHub Actions workflow commands: `::error file=…,line=…,col=…::message`.

A workflow step that prints these gets each problem shown on the pull request's diff, at its
line, besides the log. Values are escaped as the runner expects (`%`, CR and LF in the message;
also `:` and `,` in a property), so a message can neither end the command early nor start another.
"""

from __future__ import annotations

from ..errors import Diagnostic, printable

TITLE = "explainer check"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(diagnostic: Diagnostic, title: str = TITLE) -> str:
    """One workflow command for `diagnostic`; a warning stays a warning. A place that is not a
    file of the repository (a generated page) is named in the message instead."""
    command = {"warning": "warning", "note": "notice"}.get(diagnostic.severity, "error")
    message, path = printable(diagnostic.message), printable(diagnostic.path)
    props = [f"title={_property(title)}"]
    if path.startswith("("):
        message = f"{path}: {message}"
    else:
        props[:0] = [f"file={_property(path)}", f"line={diagnostic.line}", f"col={diagnostic.col}"]
    return f"::{command} {','.join(props)}::{_data(message)}"
