"""YAML records that tests build their data files from."""

SOURCE = """\
sources:
  - id: src-wire-2026-02-06
    publisher: Example Wire
    title: Talks open
    url: https://example.org/wire/talks-open
    published: '2026-02-06'
    kind: news-report
"""
"""One valid source, 7 lines: records appended after it start on line 8."""
