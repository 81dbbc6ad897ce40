"""What GitHub Actions shows people about a run: data problems and what was published.

- `annotations(problems)`: one `::error file=…,line=…,title=…::…` line per problem, in Vietnamese and
  English, so the problem appears on the exact line of the CSV in a pull request.
- `problems_summary(problems)`: the same problems as a Markdown table for the job summary.
- `published_summary(build_dir, ...)`: pages built, data version and build time, for the publish job.

Run as `python -m scripts annotate` in a workflow: it validates data/, prints the annotations and
appends the table to $GITHUB_STEP_SUMMARY (when set). Exit status 1 when the data has a problem.
"""
from __future__ import annotations

import argparse
import json
import os
import traceback
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

from .. import paths
from ..base.text import escape
from ..data.problems import Problem

# GitHub shows at most 10 error annotations per step; the job summary lists every problem.
ANNOTATIONS_PER_STEP = 10


# --- Workflow commands ------------------------------------------------------------------------
# The escaping rules of GitHub's workflow commands (actions/toolkit, core/src/command.ts).

def escape_data(text: str) -> str:
    """The message after `::`: one line, so %, CR and LF are percent-encoded."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A `key=value` property: also ':' and ',' which separate the properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(p: Problem, root: Path | None = None) -> str:
    """One error annotation: where the problem is, what is wrong and what to do, vi then en."""
    where = [("file", _relative(p.file, root))]
    if p.row:
        where.append(("line", str(p.row)))
    title = (f"Lỗi dữ liệu ở cột {p.field} / Data problem in column {p.field}" if p.field
             else "Lỗi dữ liệu / Data problem")
    where.append(("title", title))
    message = (f"{p.message('vi')} Cách sửa: {p.fix('vi')}\n"
               f"{p.message('en')} What to do: {p.fix('en')}")
    properties = ",".join(f"{key}={escape_property(value)}" for key, value in where)
    return f"::error {properties}::{escape_data(message)}"


def annotations(problems: list[Problem], root: Path | None = None) -> list[str]:
    """The first ANNOTATIONS_PER_STEP problems as annotations, and a warning if there are more."""
    lines = [annotation(p, root) for p in problems[:ANNOTATIONS_PER_STEP]]
    hidden = len(problems) - ANNOTATIONS_PER_STEP
    if hidden > 0:
        message = (f"Còn {hidden} lỗi nữa không gắn được vào dòng (GitHub chỉ hiện {ANNOTATIONS_PER_STEP}). "
                   f"Xem đủ {len(problems)} lỗi trong bảng ở trang Summary của lần kiểm tra này.\n"
                   f"{hidden} more problem(s) could not be attached to lines (GitHub shows {ANNOTATIONS_PER_STEP}). "
                   f"See all {len(problems)} in the table on this run's Summary page.")
        lines.append(f"::warning title={escape_property('Còn lỗi khác / More problems')}::{escape_data(message)}")
    return lines


# --- Job summaries (GitHub-flavoured Markdown) ---------------------------------------------------

def problems_summary(problems: list[Problem], root: Path | None = None,
                     repo_url: str | None = None, commit: str | None = None) -> str:
    """Every problem in one table, each row linking to the line when the repository is known."""
    if not problems:
        return "## Dữ liệu hợp lệ · The data is valid\n\nKhông có lỗi nào. · No problems found.\n"
    lines = [
        f"## Dữ liệu có {len(problems)} lỗi · The data has {len(problems)} problem(s)",
        "",
        "Sửa từng dòng dưới đây rồi lưu (commit) lại; việc kiểm tra sẽ tự chạy lại. "
        "· Correct each line below and commit again; the check runs again by itself.",
        "",
        "| Tệp · File | Dòng · Line | Cột · Column | Lỗi · Problem | Cách sửa · What to do |",
        "|---|---|---|---|---|",
    ]
    for p in problems:
        file = _relative(p.file, root)
        shown = _shown(p)
        where = escape(file)
        if repo_url and commit:
            where = f"[{where}]({repo_url}/blob/{commit}/{quote(file)}{f'#L{p.row}' if p.row else ''})"
        cells = [where, str(p.row or ""), escape(p.field or ""),
                 f"{shown.message('vi')}<br>*{shown.message('en')}*",
                 f"{shown.fix('vi')}<br>*{shown.fix('en')}*"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def published_summary(build_dir: Path, package_path: Path, seconds: float,
                      repo_url: str | None = None, commit: str | None = None) -> str:
    """What the publish job built: pages per language, the data's version, how long it took."""
    pages = [p.relative_to(build_dir).as_posix() for p in build_dir.rglob("*.html") if p.name != "404.html"]
    english = sum(1 for p in pages if p.startswith("en/"))
    version = json.loads(package_path.read_text(encoding="utf-8")).get("version", "?")
    data_version = f"{escape(version)} (data/datapackage.json)"
    if commit:
        short = escape(commit[:7])
        data_version += f", commit [{short}]({repo_url}/commit/{commit})" if repo_url else f", commit {short}"
    rows = [
        ("Số trang · Pages built", f"{len(pages) - english} tiếng Việt + {english} English"),
        ("Phiên bản dữ liệu · Data version", data_version),
        ("Thời gian dựng · Build time", f"{seconds:.0f} s"),
    ]
    lines = ["## Đã dựng trang · Site built", "", "| | |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    return "\n".join(lines) + "\n"


def _shown(p: Problem) -> Problem:
    """The problem with its data values escaped for Markdown; the catalogue's own words stay as they are."""
    return replace(p, field=escape(p.field) if p.field else p.field,
                   details=tuple((key, escape(value)) for key, value in p.details))


def _relative(file: str, root: Path | None) -> str:
    """The path as GitHub names it: relative to the repository, with forward slashes."""
    path = Path(file)
    base = root or paths.ROOT
    if path.is_absolute() and path.is_relative_to(base):
        path = path.relative_to(base)
    return path.as_posix()


# --- Command line -----------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts annotate",
        description="In GitHub Actions: check data/ and show every problem as an annotation and in the job "
                    "summary (exit 1 if any), or with --built, summarise a finished build.")
    parser.add_argument("--package", type=Path, default=paths.PACKAGE, help="the datapackage.json to check")
    parser.add_argument("--built", type=Path, metavar="DIR", help="summarise the site built in DIR instead")
    parser.add_argument("--seconds", type=float, default=0.0, help="with --built: how long the build took")
    parser.add_argument("--repo-url", help="e.g. https://github.com/owner/repo, to link files and commits")
    parser.add_argument("--commit", help="the commit checked or built")
    args = parser.parse_args(argv)
    try:
        if args.built:
            _append_summary(published_summary(args.built, args.package, args.seconds, args.repo_url, args.commit))
            return 0
        from ..data.validate import validate

        problems = validate(args.package)
        print("\n".join(annotations(problems)) if problems else "Dữ liệu hợp lệ. / The data is valid.")
        _append_summary(problems_summary(problems, repo_url=args.repo_url, commit=args.commit))
        return 1 if problems else 0
    except Exception:  # a bug in our code, not a data problem: say so plainly, keep the details for the maintainer
        print("::error title=Lỗi nội bộ / Internal error::"
              + escape_data("Lỗi của chương trình kiểm tra, không phải lỗi dữ liệu; xin báo cho người bảo trì.\n"
                            "A bug in the checking program, not a data problem; please tell the maintainers."))
        traceback.print_exc()
        return 2


def _append_summary(markdown: str) -> None:
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        with open(target, "a", encoding="utf-8") as f:
            f.write(markdown + "\n")

