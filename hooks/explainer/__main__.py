"""Command line: `python -m explainer check|schema ...` (see `--help`)."""

from .tools.cli import main

raise SystemExit(main())
