"""YAML syntax errors in a contributor's words.

libyaml reports what its grammar expected ("did not find expected key"), which says nothing to
someone who shifted a line by one space. `explain` looks at the lines around the error and says
what is most likely wrong: the indentation (with the columns that differ), a quote or a `[` list
never closed, or a value holding `: ` that needs quotes. The parser's own words follow in
parentheses, for those who know them.
"""

from __future__ import annotations

import re

_LINE = re.compile(r"^(?P<indent> *)(?P<dash>- +)?(?P<rest>.*)$")
_KEY_VALUE = re.compile(r"^(?P<key>[^\s:#'\"\[\]{}][^:#]*?):(?: +(?P<value>.*))?$")
_INDENT_PROBLEMS = ("did not find expected key", "did not find expected '-' indicator", "expected <block end>")


def explain(lines: list[str], line: int, col: int, problem: str, context: str, context_line: int | None) -> str:
    """The message for a syntax error at 1-based `line`:`col`; `context_line` is the line where the
    block the parser was reading opened, when it says."""
    raw = f"{problem} ({context})" if context else problem
    said = f" (YAML parser: {raw})"
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    if "mapping values are not allowed" in problem:
        return _colon_in_value(lines, here, line) + said
    if "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        opened = context_line or line
        return f"the list opened with `[` on line {opened} is not closed: end it with `]` on that line{said}"
    if "found unexpected end of stream" in problem or "found unknown escape character" in problem:
        unclosed = _unclosed_quote(lines, line)
        if unclosed:
            return unclosed + said
    if any(p in problem for p in _INDENT_PROBLEMS):
        unclosed = _unclosed_quote(lines, line)
        if unclosed:
            return unclosed + said
        return _indentation(lines, line, col, context_line) + said
    return f"{problem}{f' ({context})' if context else ''}; check the indentation and quotes around line {line}"


def _colon_in_value(lines: list[str], text: str, line: int) -> str:
    parts = _LINE.match(text)
    match = _KEY_VALUE.match(parts.group("rest")) if parts else None
    if match and match.group("value") and ": " in match.group("value"):
        key, value = match.group("key"), match.group("value")
        quoted = "'" + value.replace("'", "''") + "'"
        return f"line {line}: a value holding ': ' must be quoted: write `{key}: {quoted}`"
    here, above = _columns(text), _previous(lines, line)
    if here is not None and above is not None and here[0] > above[1][1]:
        number, (_, above_key) = above
        return (
            f"check the indentation: line {line} starts in column {here[0]}, deeper than the field above it "
            f"(line {number}, column {above_key}), so YAML reads it as the rest of that value; fields of one "
            "record line up"
        )
    return (
        f"line {line}: a key stands where YAML expected none: check the indentation (keys of one record "
        "start in the same column) and quote any value holding ': '"
    )


def _unclosed_quote(lines: list[str], line: int) -> str:
    """The line above `line` (or `line` itself) whose value opens a quote it never closes."""
    for number in range(min(line, len(lines)), max(0, line - 30), -1):
        parts = _LINE.match(lines[number - 1])
        match = _KEY_VALUE.match(parts.group("rest")) if parts else None
        value = (
            (match.group("value") or "") if match else (parts.group("rest") if parts and parts.group("dash") else "")
        )
        value = value.rstrip()
        if value[:1] in ("'", '"') and not _closes(value):
            mark = value[0]
            how = "a ' inside a '…' value is written ''" if mark == "'" else 'a " inside a "…" value is written \\"'
            return f"the quote ({mark}) opened on line {number} is never closed: end the value with {mark} ({how})"
    return ""


def _closes(value: str) -> bool:
    mark = value[0]
    body = value[1:]
    if mark == "'":
        body = body.replace("''", "")
    else:
        body = re.sub(r"\\.", "", body)
    end = body.find(mark)
    return end >= 0


def _indentation(lines: list[str], line: int, col: int, context_line: int | None) -> str:
    here = _columns(lines[line - 1]) if 0 < line <= len(lines) else None
    if here is None:
        return f"check the indentation of line {line}: YAML reads the structure from it"
    start, key = here
    above = _previous(lines, line)
    if above is not None:
        number, (above_start, above_key) = above
        if lines[number - 1].lstrip().startswith("- ") and lines[line - 1].lstrip().startswith("- "):
            if above_start != start:
                return (
                    f"check the indentation: the `- ` of line {line} is in column {start}, but the `- ` of the list "
                    f"item above it (line {number}) in column {above_start}; items of one list line up"
                )
    opened = _columns(lines[context_line - 1]) if context_line and 0 < context_line <= len(lines) else None
    if opened is not None and context_line is not None and context_line != line:
        opened_start, opened_key = opened
        if lines[line - 1].lstrip().startswith("- ") and start == opened_key:
            return (
                f"check the indentation: line {line} starts a list item (`- `) where a field of the record opened "
                f"at line {context_line} was expected; a new record's `- ` lines up with the `- ` of line "
                f"{context_line} (column {opened_start})"
            )
        if start != opened_key:
            return (
                f"check the indentation: line {line} starts in column {start}, but the fields of the record "
                f"opened at line {context_line} start in column {opened_key}; fields of one record line up, "
                "indented with spaces"
            )
    if above is not None and above[1][1] != key:
        number, (_, above_key) = above
        return (
            f"check the indentation: line {line} starts in column {key}, the line above it (line {number}) in "
            f"column {above_key}"
        )
    return f"check the indentation of line {line} and the lines above it: YAML reads the structure from it"


def _columns(text: str) -> tuple[int, int] | None:
    """(column of the line's first character, column of its key after any `- `), 1-based."""
    if not text.strip() or text.lstrip().startswith("#"):
        return None
    parts = _LINE.match(text)
    if parts is None:
        return None
    start = len(parts.group("indent")) + 1
    return start, start + len(parts.group("dash") or "")


def _previous(lines: list[str], line: int) -> tuple[int, tuple[int, int]] | None:
    for number in range(line - 1, 0, -1):
        found = _columns(lines[number - 1])
        if found is not None:
            return number, found
    return None
