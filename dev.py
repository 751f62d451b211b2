#!/usr/bin/env python3
"""Developer entry point for the explainer site (standard library only).

    python3 dev.py setup [--python-only]   .venv from requirements.lock, Chromium, node_modules
    python3 dev.py setup --build-only      .venv from requirements-build.lock: building and publishing only
    python3 dev.py serve [--addr H:P]      live-reloading preview (mkdocs serve)
    python3 dev.py build                   mkdocs build --strict into site/
    python3 dev.py test [pytest args...]   explainer check data, then pytest on every core (-n 0: one process)

Every command sets up what it needs first; set-up steps that are already done are skipped.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV_BIN = ROOT / ".venv" / "bin"
VENV_STAMP = ROOT / ".venv" / ".lock-sha256"
DEV_LOCK = ROOT / "requirements.lock"
BUILD_LOCK = ROOT / "requirements-build.lock"
NODE_STAMP = ROOT / "node_modules" / ".package-lock-sha256"
CHROMIUM = Path("/usr/bin/chromium")
APT_INSTALL = "apt-get install -y --no-install-recommends chromium"
PARALLEL = ["--numprocesses", "auto", "--dist", "loadgroup"]
"""What `dev.py test` adds to pytest's arguments, unless they choose a number of workers themselves:
one worker per core (pytest-xdist), tests that share an expensive fixture kept on one worker
(tests/site_inputs.py names the groups)."""


def run(step: str, cmd: Sequence[str | Path], env: dict[str, str] | None = None) -> None:
    """Run one set-up step from the repo root; exit non-zero, naming the step, if it fails."""
    print(f"dev.py: {step}", flush=True)
    try:
        subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env, check=True)
    except (subprocess.CalledProcessError, FileNotFoundError) as exc:
        sys.exit(f"dev.py: step failed: {step}\n  {exc}")


def digest(*paths: Path) -> str:
    """sha256 over the contents of the given files, in order."""
    h = hashlib.sha256()
    for path in paths:
        h.update(path.read_bytes())
    return h.hexdigest()


def setup_python(lock: Path = DEV_LOCK) -> None:
    """Create .venv and install `lock` (every package pinned with hashes) plus this project (editable)."""
    if not (VENV_BIN / "python").exists():
        run("create .venv", [sys.executable, "-m", "venv", ROOT / ".venv"])
    wanted = digest(lock, ROOT / "pyproject.toml")
    if VENV_STAMP.exists() and VENV_STAMP.read_text().strip() == wanted:
        print(f"dev.py: .venv is up to date with {lock.name}", flush=True)
        return
    pip: list[str | Path] = [VENV_BIN / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    run(f"install {lock.name}", [*pip, "--require-hashes", "-r", lock])
    # setuptools is pinned in the lock, so build in the venv instead of fetching it unpinned.
    run("install explainer (editable)", [*pip, "--no-deps", "--no-build-isolation", "-e", "."])
    VENV_STAMP.write_text(wanted + "\n")


def setup_chromium() -> None:
    """Install Debian's Chromium (used by the browser tests) if it is missing."""
    if CHROMIUM.exists():
        return
    if os.geteuid() != 0:
        sys.exit(f"dev.py: {CHROMIUM} is missing; install it with:\n  sudo apt-get update && sudo {APT_INSTALL}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run("apt-get update", ["apt-get", "update"], env=env)
    run("install chromium", APT_INSTALL.split(), env=env)


def setup_node() -> None:
    """Install node_modules from package-lock.json unless it is already installed from it."""
    wanted = digest(ROOT / "package-lock.json")
    if NODE_STAMP.exists() and NODE_STAMP.read_text().strip() == wanted:
        print("dev.py: node_modules is up to date with package-lock.json", flush=True)
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("dev.py: npm not found; install Node.js 20 or newer (Debian: apt-get install npm)")
    run("npm ci", [npm, "ci", "--no-audit", "--no-fund"])
    NODE_STAMP.write_text(wanted + "\n")


def setup(python_only: bool = False, build_only: bool = False) -> None:
    """Everything `test` needs; `python_only` stops after the Python environment; `build_only`
    installs only what building and publishing need (requirements-build.lock), as CI's publish job."""
    if build_only:
        setup_python(BUILD_LOCK)
        return
    setup_python()
    if not python_only:
        setup_chromium()
        setup_node()


def pytest_args(extra: Sequence[str]) -> list[str]:
    """`extra` after PARALLEL, unless `extra` already sets the number of workers (`-n 0` runs in one process)."""
    chooses = any(arg in ("-n", "--numprocesses") or arg.startswith(("-n", "--numprocesses=")) for arg in extra)
    return [*extra] if chooses else [*PARALLEL, *extra]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="dev.py", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_setup = sub.add_parser("setup", help="create .venv, install Chromium and node_modules")
    p_setup.add_argument("--python-only", action="store_true", help="only .venv (enough for serve/build/publish)")
    p_setup.add_argument(
        "--build-only", action="store_true", help="only .venv, from requirements-build.lock (no test or lint tools)"
    )
    p_serve = sub.add_parser("serve", help="live preview with mkdocs serve")
    p_serve.add_argument("--addr", default="127.0.0.1:8000", help="host:port to listen on")
    sub.add_parser("build", help="mkdocs build --strict")
    sub.add_parser("test", help="explainer check data, then pytest (extra args go to pytest)")
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "test":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")

    if args.command == "setup":
        setup(python_only=args.python_only, build_only=args.build_only)
    elif args.command == "serve":
        setup(python_only=True)
        mkdocs = str(VENV_BIN / "mkdocs")
        os.chdir(ROOT)
        os.execv(mkdocs, [mkdocs, "serve", "--dev-addr", args.addr])
    elif args.command == "build":
        setup(python_only=True)
        run("mkdocs build --strict", [VENV_BIN / "mkdocs", "build", "--strict"])
    elif args.command == "test":
        setup()
        run("explainer check data", [VENV_BIN / "python", "-m", "explainer", "check", "data"])
        print("dev.py: pytest", flush=True)
        return subprocess.run([VENV_BIN / "python", "-m", "pytest", *pytest_args(extra)], cwd=ROOT).returncode
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
