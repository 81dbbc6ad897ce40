"""The GitHub Actions workflows: valid, triggered by the right changes, least privilege, pinned, and
running the same `make` targets a person runs locally."""
import re

import pytest
import yaml

from scripts import paths
from tests.helpers import check_schema

WORKFLOWS = paths.ROOT / ".github" / "workflows"
PUBLISH = WORKFLOWS / "publish.yml"
CHECK = WORKFLOWS / "check-data.yml"
FORM = WORKFLOWS / "form-submission.yml"
INBOX = WORKFLOWS / "inbox-workbook.yml"
ALL = sorted(WORKFLOWS.glob("*.yml"))
BUILDING = [CHECK, PUBLISH]           # the two that test and build the site

PUBLISH_PATHS = {"data/**", "site/**", "scripts/**", "mkdocs*.yml", "pyproject.toml", "requirements.lock",
                 "requirements-zensical.lock", "Makefile"}
PAGES_ACTIONS = {"actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"}


def load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    # YAML 1.1 reads the key `on` as the boolean True
    return workflow.get("on", workflow.get(True))


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def actions(workflow: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in steps(workflow) if "uses" in step]


def make_targets_run(workflow: dict) -> list[str]:
    """`make X` commands in run steps, in order (sudo included)."""
    return [m for step in steps(workflow) for m in re.findall(r"(?:^|\n)\s*(?:sudo )?make ([\w./-]+)", step.get("run", ""))]


def makefile_targets() -> set[str]:
    text = (paths.ROOT / "Makefile").read_text(encoding="utf-8")
    variables = dict(re.findall(r"^(\w+)\s*[:?]?=\s*(.+?)\s*$", text, re.M))
    for _ in range(3):  # expand $(NAME) in values and targets
        text = re.sub(r"\$\((\w+)\)", lambda m: variables.get(m.group(1), m.group(0)), text)
        variables = {k: re.sub(r"\$\((\w+)\)", lambda m: variables.get(m.group(1), m.group(0)), v) for k, v in variables.items()}
    return {t for line in re.findall(r"^([^\s#=:][^=:]*?):(?!=)", text, re.M) for t in line.split()}


def test_there_are_exactly_the_four_workflows():
    assert [p.name for p in ALL] == ["check-data.yml", "form-submission.yml", "inbox-workbook.yml", "publish.yml"]


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_workflow_is_valid_against_the_github_schema(path):
    """Offline: check-jsonschema ships the schema (vendor.github-workflows)."""
    run = check_schema("vendor.github-workflows", path)
    assert run.returncode == 0, run.stdout + run.stderr


def test_schema_check_rejects_a_broken_workflow(tmp_path):
    """The check above can fail: a step with both `uses` and `run` is refused."""
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: x/y@v1\n        run: echo\n")
    run = check_schema("vendor.github-workflows", broken)
    assert run.returncode == 1


def test_publish_runs_on_pushes_to_main_that_change_the_site_and_by_hand():
    on = triggers(load(PUBLISH))
    assert set(on) == {"push", "workflow_dispatch", "schedule"}
    assert on["push"]["branches"] == ["main"]
    assert set(on["push"]["paths"]) == PUBLISH_PATHS


def test_publish_rebuilds_daily_at_a_quiet_hour_in_viet_nam():
    """Deadlines are judged as of the build's day (issue 23): without a daily run, a site whose data did
    not change would go on saying a passed 30 November is still to come."""
    [schedule] = triggers(load(PUBLISH))["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert (day, month, weekday) == ("*", "*", "*")                 # every day
    assert 0 <= (int(hour) + 7) % 24 < 5                            # between midnight and 05:00 in Viet Nam (UTC+7)
    build = load(PUBLISH)["jobs"]["build"]
    test_step = next(s for s in build["steps"] if s.get("run") == "make test")
    assert test_step["if"] == "github.event_name != 'schedule'"     # the commit was tested when it was pushed


def test_a_run_whose_site_is_already_live_deploys_nothing():
    workflow = load(PUBLISH)
    build = workflow["jobs"]["build"]
    compare = next(s for s in build["steps"] if s.get("id") == "compare")
    assert "build/ban-dung.json" in compare["run"] and '"${SITE_URL%/}/ban-dung.json"' in compare["run"]
    assert compare["env"] == {"SITE_URL": "${{ steps.pages.outputs.base_url }}"}
    assert build["outputs"] == {"changed": "${{ steps.compare.outputs.changed }}"}
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["if"] == "steps.compare.outputs.changed == 'true'"
    assert workflow["jobs"]["deploy"]["if"] == "needs.build.outputs.changed == 'true'"
    names = [s.get("name") or s.get("uses") for s in build["steps"]]
    assert names.index("Build the site") < names.index("Compare with the live site")


def test_check_runs_on_pull_requests_that_change_data():
    on = triggers(load(CHECK))
    assert set(on) == {"pull_request"}
    assert on["pull_request"]["paths"] == ["data/**"]


def test_publish_permissions_are_least_privilege():
    workflow = load(PUBLISH)
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    assert jobs["build"]["permissions"] == {"contents": "read", "pages": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    # the one job that can write runs no command of ours, only the official deploy action
    assert [s.get("uses", "").split("@")[0] for s in jobs["deploy"]["steps"]] == ["actions/deploy-pages"]
    assert not any("run" in s for s in jobs["deploy"]["steps"])


def test_check_permissions_are_read_only_and_it_never_deploys():
    workflow = load(CHECK)
    assert workflow["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in workflow["jobs"].values())
    assert not PAGES_ACTIONS & set(actions(workflow))
    assert "environment" not in str(workflow["jobs"])


def test_deploy_waits_for_a_good_build_and_publishes_in_order():
    workflow = load(PUBLISH)
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    # a failed build never deploys (no `always()` or the like); a build equal to the live site neither
    assert deploy["if"] == "needs.build.outputs.changed == 'true'"
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert actions(workflow).count("actions/upload-pages-artifact") == 1
    upload = next(s for s in steps(workflow) if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == paths.BUILD.name


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_full_commit_sha_with_its_version_beside_it(path):
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if re.match(r"\s*(- )?uses:", line)]
    assert lines
    unpinned = [line for line in lines if not re.fullmatch(r"(- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*", line)]
    assert unpinned == []


def test_the_same_action_is_pinned_to_the_same_commit_everywhere():
    pins = {}
    for path in ALL:
        for ref in re.findall(r"uses: ([\w./-]+@[0-9a-f]{40})", path.read_text(encoding="utf-8")):
            name, sha = ref.split("@")
            pins.setdefault(name, set()).add(sha)
    assert {name: len(shas) for name, shas in pins.items() if len(shas) > 1} == {}


def test_publish_uses_the_official_pages_actions():
    assert PAGES_ACTIONS <= set(actions(load(PUBLISH)))


@pytest.mark.parametrize("path", BUILDING, ids=lambda p: p.name)
def test_workflows_run_the_makefile_targets(path):
    """CI runs what a person runs: `make test`, then `make site`, each a target of the Makefile."""
    targets = make_targets_run(load(path))
    defined = makefile_targets()
    assert {"site", "test", "browser"} <= defined  # the parser does find the Makefile's targets
    assert [t for t in targets if t not in defined] == []
    assert targets.index("test") < targets.index("site")


def test_the_makefile_parser_expands_variables():
    assert "site" in makefile_targets() and ".venv/.installed" in makefile_targets()


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_python_is_set_up_from_the_lock_with_a_pip_cache(path):
    [setup] = [s for s in steps(load(path)) if s.get("uses", "").startswith("actions/setup-python@")]
    lock = (paths.ROOT / "requirements.lock").read_text(encoding="utf-8")
    [version] = re.findall(r"--python-version (\S+)", lock)
    assert setup["with"] == {"python-version": version, "cache": "pip", "cache-dependency-path": "requirements.lock"}


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_run_steps_fail_on_the_first_failing_command(path):
    """`shell: bash` makes GitHub run steps with -eo pipefail."""
    assert load(path)["defaults"]["run"]["shell"] == "bash"


def test_check_annotates_the_data_before_anything_else_runs():
    runs = [s.get("run", "") for s in steps(load(CHECK)) if "run" in s]
    annotate = next(i for i, r in enumerate(runs) if "-m scripts annotate" in r)
    assert "--built" not in runs[annotate]
    assert all("make test" not in r and "make site" not in r for r in runs[:annotate])


def test_publish_is_switched_to_zensical_by_one_input_and_stays_on_mkdocs():
    """One input for a run by hand; the default, on one line, is what a push publishes with."""
    workflow = load(PUBLISH)
    engine = triggers(workflow)["workflow_dispatch"]["inputs"]["engine"]
    assert engine["type"] == "choice" and engine["options"] == ["mkdocs", "zensical"] and engine["default"] == "mkdocs"
    assert workflow["env"] == {"ENGINE": "${{ inputs.engine || 'mkdocs' }}"}
    assert [line for line in PUBLISH.read_text(encoding="utf-8").splitlines() if "|| 'mkdocs'" in line] == \
        ["  ENGINE: ${{ inputs.engine || 'mkdocs' }}"]
    build = next(s for s in steps(workflow) if "make site" in s.get("run", ""))
    assert 'make site ENGINE="$ENGINE"' in build["run"]     # through the environment, never pasted into the script


def test_publish_writes_a_job_summary_of_the_build():
    build = next(s for s in steps(load(PUBLISH)) if "make site" in s.get("run", ""))
    assert "-m scripts annotate --built build" in build["run"]
    assert "--seconds" in build["run"]


HELP_PAGES = ("cap-nhat-du-lieu.md", "bao-tri.md")


@pytest.mark.parametrize("page", HELP_PAGES)
def test_help_pages_have_the_same_sections_in_both_languages(page):
    anchors = {lang: re.findall(r"^#+ .*\{ #([a-z0-9-]+) \}$", (paths.CONTENT / lang / page).read_text(encoding="utf-8"), re.M)
               for lang in ("vi", "en")}
    assert anchors["vi"] and anchors["vi"] == anchors["en"]


def test_help_pages_quote_the_workflows_as_they_are():
    """The steps, jobs and pins the pages tell people to look for exist under those names."""
    names = set()
    for path in ALL:
        workflow = load(path)
        names.add(workflow["name"])
        for job in workflow["jobs"].values():
            names.add(job.get("name"))
            names.update(step.get("name") for step in job.get("steps", []))
    pins = {m for path in ALL for m in re.findall(r"[\w-]+/[\w-]+@[0-9a-f]{40} # v[\d.]+", path.read_text(encoding="utf-8"))}
    for lang in ("vi", "en"):
        for page in HELP_PAGES:
            text = (paths.CONTENT / lang / page).read_text(encoding="utf-8")
            quoted = set(re.findall(r"(?<![*\w])\*([A-Z][^*\n]+?)\*(?![*\w])", text))  # *Step name* in italics
            quoted = {q for q in quoted if not q.startswith(("All checks", "Deployment branches", "Workflow permissions"))}
            assert quoted - names == set(), f"{lang}/{page}"
            assert set(re.findall(r"[\w-]+/[\w-]+@[0-9a-f]{40} # v[\d.]+", text)) <= pins


# --- data in without Git: the form and the workbook workflows ------------------------------------

def run_scripts(workflow: dict) -> list[str]:
    return [step["run"] for step in steps(workflow) if "run" in step]


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_no_expression_is_interpolated_into_a_shell_script(path):
    """Untrusted text (an issue's body, a branch or file name) reaches scripts only through env:
    `${{ }}` inside `run:` would paste it into the command before bash reads it."""
    assert [r for r in run_scripts(load(path)) if "${{" in r] == []


@pytest.mark.parametrize("path", [FORM, INBOX], ids=lambda p: p.name)
def test_the_untrusted_text_is_only_in_env(path):
    text = path.read_text(encoding="utf-8")
    for expression in re.findall(r"\$\{\{\s*(github\.event\.(?:issue\.body|issue\.title|pull_request\.head\.ref|pull_request\.title)[^}]*)\}\}", text):
        line = next(line for line in text.splitlines() if expression in line)
        assert re.match(r"\s+[A-Z_]+: \$\{\{", line), line


@pytest.mark.parametrize("path", [FORM, INBOX], ids=lambda p: p.name)
def test_nothing_is_granted_by_default_and_each_job_asks_for_its_own(path):
    workflow = load(path)
    assert workflow["permissions"] == {}
    assert all("permissions" in job for job in workflow["jobs"].values())


def test_the_form_jobs_that_run_our_code_cannot_write():
    jobs = load(FORM)["jobs"]
    assert {name: job["permissions"] for name, job in jobs.items()} == {
        "read": {"contents": "read"},
        "propose": {"contents": "write", "pull-requests": "write", "issues": "write"},
        "explain": {"issues": "write"},
    }
    # the one job that runs Python is the one that cannot write, and it keeps no credentials
    assert [name for name, job in jobs.items() if any("python" in s.get("run", "") for s in job["steps"])] == ["read"]
    checkout = jobs["read"]["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@") and checkout["with"]["persist-credentials"] is False
    # the writing jobs run only git and gh, and check that only data/ changes
    assert "grep -v '^data/'" in jobs["propose"]["steps"][1]["run"]


def test_the_form_workflow_runs_on_labelled_issues_and_gives_the_submission_date():
    workflow = load(FORM)
    assert triggers(workflow) == {"issues": {"types": ["opened", "edited"]}}
    read = workflow["jobs"]["read"]
    assert "contains(github.event.issue.labels.*.name, 'gui-du-lieu')" in read["if"]
    assert "github.event.changes.body" in read["if"]
    [step] = [s for s in read["steps"] if s.get("name") == "Read the form"]
    assert step["env"]["BODY"] == "${{ github.event.issue.body }}"
    assert '> "$RUNNER_TEMP/body.md"' in step["run"]
    assert '--date "${OPENED:0:10}"' in step["run"] and step["env"]["OPENED"] == "${{ github.event.issue.created_at }}"
    # every form's label leads to its form
    from scripts.intake.forms import FORMS
    assert all(f'*" mau-{form} "*) form={form} ;;' in step["run"] for form in FORMS)
    propose = workflow["jobs"]["propose"]
    assert propose["if"] == "needs.read.outputs.ok == 'true'"
    assert workflow["jobs"]["explain"]["if"] == "needs.read.outputs.ok == 'false'"
    opened = propose["steps"][-1]["run"]
    assert "--label can-duyet" in opened and "gh issue edit \"$NUMBER\" --add-label can-duyet" in opened
    assert "Closes #" in opened            # the pull request links the issue, and closes it when merged


def test_the_workbook_workflow_runs_base_code_on_the_uploaded_file_as_data():
    workflow = load(INBOX)
    on = triggers(workflow)
    assert set(on) == {"pull_request_target"} and on["pull_request_target"]["paths"] == ["data/inbox/**"]
    jobs = workflow["jobs"]
    assert {name: job["permissions"] for name, job in jobs.items()} == {
        "import": {"contents": "read", "pull-requests": "read"},
        "commit": {"contents": "write"},
        "report": {"pull-requests": "write"},
    }
    # the importing job checks out the base branch (no ref: pull_request_target's default), keeps no
    # credentials, and fetches the pull request's files only as blobs through the API
    checkout = jobs["import"]["steps"][0]
    assert "ref" not in checkout["with"] and checkout["with"]["persist-credentials"] is False
    runs = " ".join(run_scripts({"jobs": {"import": jobs["import"]}}))
    assert 'Accept: application/vnd.github.raw' in runs and "git fetch" not in runs and "git checkout" not in runs
    assert "-m scripts import" in runs
    # the job that checks out the pull request's files runs no Python, only for a branch of this repository
    commit = jobs["commit"]
    assert "github.event.pull_request.head.repo.full_name == github.repository" in commit["if"]
    assert not any("python" in s.get("run", "") or "make " in s.get("run", "") for s in commit["steps"])
    assert 'git --literal-pathspecs rm -q --ignore-unmatch -- "$path"' in commit["steps"][-1]["run"]
    assert "--force" not in commit["steps"][-1]["run"]


def test_publish_gives_the_build_the_site_and_repository_addresses():
    build = next(s for s in steps(load(PUBLISH)) if s.get("name") == "Build the site")
    assert build["env"] == {"SITE_URL": "${{ steps.pages.outputs.base_url }}",
                            "REPO_URL": "${{ github.server_url }}/${{ github.repository }}"}
    assert any(step.get("id") == "pages" and "configure-pages" in step.get("uses", "") for step in steps(load(PUBLISH)))
