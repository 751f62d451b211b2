"""Command line: `python -m explainer check|schema ...` (see `--help`)."""

from .cli import main

raise SystemExit(main())
