"""The command line: the only part of the build that prints or exits."""
from __future__ import annotations

import argparse
import json
import sys
import traceback
from pathlib import Path

from . import paths

BUG_REPORT = "https://github.com/ (the project's issue tracker)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts", description="Validate the data and build the site.")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("validate", help="check data/ and list every problem (exit 1 if any)")
    check.add_argument("--json", action="store_true", help="print the problems as JSON")
    check.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of the messages (default vi)")
    _add_package(check, "the package to check")
    check.add_argument("--fix", action="store_true",
                       help="correct safe, mechanical problems (Unicode NFC, stray spaces, TRUE/FALSE) and list each change")
    check.add_argument("--dry-run", action="store_true", help="with --fix: only list what would change, write nothing")
    make = sub.add_parser("build", help="validate, then build the site into build/ (unchanged on failure)")
    make.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of the messages (default vi)")
    make.add_argument("--out", type=Path, default=paths.BUILD, help="where to put the site (default build/)")
    _add_package(make, "the package to build the site from")
    make.add_argument("--engine", choices=["mkdocs", "zensical"], default="mkdocs",
                      help="what turns the pages into HTML (default mkdocs; zensical needs `make zensical`)")
    make.add_argument("--as-of", type=_day, metavar="YYYY-MM-DD",
                      help="the day states and deadlines are judged on (default: today in Viet Nam); "
                           "not before the data's last_updated")
    sheet = sub.add_parser("workbook", help="write the input workbook (today's rows, ready to edit in Excel)")
    sheet.add_argument("--out", type=Path, required=True, help="the .xlsx file to write")
    _add_package(sheet, "the package to read")
    sheet.add_argument("--plan", action="store_true",
                       help="the plan's own text as tables (plan, objectives, agencies, tasks, targets, …), to enter a new plan; "
                            "`import` reads it back like the other workbook")
    take = sub.add_parser("import", help="check an edited input workbook and write its changes into data/ (exit 1 if any problem)")
    take.add_argument("file", type=Path, help="the .xlsx file to read")
    take.add_argument("--dry-run", action="store_true", help="only report what would change, write nothing")
    take.add_argument("--allow-removals", action="store_true", help="apply rows deleted from a sheet as removals")
    take.add_argument("--json", action="store_true", help="print the result as JSON")
    take.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of the messages (default vi)")
    _add_package(take, "the package to update")
    _add_form_commands(sub)
    start = sub.add_parser("new-plan", help="write an empty package for another plan into FOLDER (then `validate --data FOLDER` says what to fill in)")
    start.add_argument("folder", type=Path, help="the new plan's folder, e.g. plans/ten-tinh-so-ke-hoach (empty or absent)")
    sub.add_parser("annotate", add_help=False,
                   help="in GitHub Actions: data problems as annotations and a job summary (`annotate --help`)")
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["annotate"]:     # its options are its own (scripts/intake/annotations.py)
        from .intake import annotations

        return annotations.main(argv[1:])
    args = parser.parse_args(argv)
    if getattr(args, "data", None):         # --data FOLDER: the package in that folder
        args.package = args.data / "datapackage.json"
    try:
        if args.command == "validate":
            return _validate(args)
        if args.command == "workbook":
            return _workbook(args)
        if args.command == "import":
            return _import(args)
        if args.command == "new-plan":
            return _new_plan(args)
        if args.command in ("forms", "from-issue"):
            return _form_command(args)
        return _build(args)
    except KeyboardInterrupt:
        print("Đã dừng; build/ không thay đổi. / Stopped; build/ is unchanged.", file=sys.stderr)
        return 130
    except Exception:  # a bug in our code, not a data problem: say so, keep the details
        log = paths.ROOT / "build-error.log"
        log.write_text(traceback.format_exc(), encoding="utf-8")
        print("Lỗi nội bộ của chương trình (không phải lỗi dữ liệu); build/ không thay đổi.\n"
              "Internal error in the build (not a data problem); build/ is unchanged.\n"
              f"Details / Chi tiết: {log.relative_to(paths.ROOT)}. Please report it with that file.", file=sys.stderr)
        return 2


def _add_form_commands(sub) -> None:
    forms = sub.add_parser("forms", help="write the issue forms in .github/ISSUE_TEMPLATE/ from data/")
    forms.add_argument("--check", action="store_true", help="write nothing; exit 1 if the committed forms differ")
    issue = sub.add_parser("from-issue", help="add the rows of a submitted issue form to data/ (exit 1 if it has problems)")
    from .intake.forms import FORMS

    names = ", ".join(f"{f.id} ({f.file.removesuffix('.yml')})" for f in FORMS.values())
    issue.add_argument("--form", required=True, metavar="FORM",
                       help=f"which form it was, by its id or its file's name: {names}")
    issue.add_argument("body", type=Path, help="the issue's text, as GitHub wrote it, in a file")
    issue.add_argument("--date", required=True, help="the day it was submitted, YEAR-MONTH-DAY (becomes last_updated)")
    issue.add_argument("--issue", type=int, help="the issue's number, noted in the new source")
    issue.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
    issue.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of the messages (default vi)")
    issue.add_argument("--json", action="store_true", help="print the rows and problems as JSON")
    issue.add_argument("--markdown", action="store_true", help="print a report in both languages for GitHub")
    _add_package(issue, "the package to add to")


def _add_package(command, what: str) -> None:
    """--data FOLDER (a plan's folder, laid out as data/ is) or --package FILE (its datapackage.json)."""
    given = command.add_mutually_exclusive_group()
    given.add_argument("--data", type=Path, metavar="FOLDER", help=f"the folder of {what} (default data/; another plan: plans/<its folder>)")
    given.add_argument("--package", type=Path, default=paths.PACKAGE, help=f"the datapackage.json of {what} (default data/datapackage.json)")


def _form_command(args) -> int:
    import datetime as dt

    from .intake import forms, submissions

    if args.command == "from-issue":
        args.form = forms.form_id(args.form)
        if args.form is None:
            names = ", ".join(f"{f.id}, {f.file.removesuffix('.yml')}" for f in forms.FORMS.values())
            print(f"--form: không có mẫu này; chọn một trong / no such form; choose one of: {names}", file=sys.stderr)
            return 2
    if args.command == "forms":
        if args.check:
            stale = [name for name, text in forms.render().items()
                     if not (paths.ISSUE_TEMPLATES / name).is_file() or (paths.ISSUE_TEMPLATES / name).read_text(encoding="utf-8") != text]
            print("\n".join(f"Out of date: .github/ISSUE_TEMPLATE/{n} (run `python -m scripts forms`)" for n in stale) or "Forms up to date.")
            return 1 if stale else 0
        changed = forms.write()
        print(f"Wrote {', '.join(changed)}." if changed else "Forms up to date.")
        return 0
    try:
        submitted = dt.date.fromisoformat(args.date)
        body = args.body.read_text(encoding="utf-8-sig")
    except (ValueError, OSError, UnicodeDecodeError) as err:
        print(f"--date YEAR-MONTH-DAY and a readable UTF-8 file are needed / cần --date NĂM-THÁNG-NGÀY và một tệp UTF-8: {err}",
              file=sys.stderr)
        return 1
    submission, problems = submissions.from_issue(args.form, body, args.package, submitted, args.issue, apply=not args.dry_run)
    if args.json:
        print(json.dumps(submissions.as_json(args.form, submission, problems, not args.dry_run), ensure_ascii=False, indent=2))
    elif args.markdown:
        print(submissions.markdown(args.form, submission, problems), end="")
    else:
        print(submissions.report(args.form, submission, problems, args.lang, applied=not args.dry_run))
    return 1 if problems else 0


def _validate(args) -> int:
    from .data.validate import fix, validate

    if args.fix:
        changes = fix(args.package, apply=not args.dry_run)
        verb = ("Sẽ sửa" if args.dry_run else "Đã sửa") if args.lang == "vi" else ("Would change" if args.dry_run else "Changed")
        for c in changes:
            where = f"{c.file}, {'dòng' if args.lang == 'vi' else 'row'} {c.row}" + (f", {c.field}" if c.field else "")
            print(f"{verb}: {where}: {c.before!r} → {c.after!r} ({', '.join(c.kinds)})")
        if not changes:
            print("Không có gì cần sửa tự động." if args.lang == "vi" else "Nothing to fix automatically.")
        if args.dry_run:
            return 0
    problems = validate(args.package)
    if args.json:
        print(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
    else:
        print(format_problems(problems, args.lang))
    return 1 if problems else 0


def _workbook(args) -> int:
    from .intake.workbook import PLAN_TABLES, TABLES, write

    write(args.package, args.out, PLAN_TABLES if args.plan else TABLES)
    print(f"Đã ghi sổ nhập liệu / Wrote the input workbook: {args.out}")
    return 0


def _new_plan(args) -> int:
    from .intake.new_plan import FolderNotEmpty, create

    try:
        written = create(args.folder)
    except FolderNotEmpty:
        print(f"{args.folder} đã có tệp; chọn một thư mục mới. / {args.folder} already holds files; choose a new folder.", file=sys.stderr)
        return 2
    print(f"Đã tạo gói dữ liệu trống / Wrote an empty package: {args.folder} ({len(written)} tệp / files).\n"
          f"Tiếp theo / Next: python -m scripts validate --data {args.folder}")
    return 0


def _import(args) -> int:
    from .intake.workbook_import import apply, check, report

    result = check(args.file, args.package, allow_removals=args.allow_removals)
    if not result.problems and not args.dry_run and result.texts:
        apply(result, args.package)
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(report(result, args.lang, dry_run=args.dry_run))
    return 1 if result.problems else 0


def _build(args) -> int:
    from .data.clock import AsOfBeforeData
    from .engines.build import BuildFailed, DataInvalid, build
    from .engines.engine import EngineMissing

    try:
        result = build(args.out, args.package, engine=args.engine, as_of=args.as_of)
    except AsOfBeforeData as err:
        print(f"--as-of {err.as_of}: ngày tính tình trạng không được trước ngày cập nhật dữ liệu ({err.data_date}, "
              "last_updated trong datapackage.json).\n"
              f"--as-of {err.as_of}: the day states are judged on cannot be before the data's last update "
              f"({err.data_date}, last_updated in datapackage.json).\nbuild/ không thay đổi. / build/ is unchanged.",
              file=sys.stderr)
        return 2
    except DataInvalid as err:
        print(format_problems(err.problems, args.lang), file=sys.stderr)
        print("build/ không thay đổi. / build/ is unchanged.", file=sys.stderr)
        return 1
    except EngineMissing as err:
        print(f"{err}\nbuild/ không thay đổi. / build/ is unchanged.", file=sys.stderr)
        return 2
    except BuildFailed as err:
        print(f"{'MkDocs' if args.engine == 'mkdocs' else 'Zensical'} failed; build/ is unchanged.\n{err}", file=sys.stderr)
        return 2
    stages = ", ".join(f"{k} {v:.1f}s" for k, v in result.seconds.items())
    print(f"Built {result.pages} pages into {result.out} ({stages}).")
    return 0


def _day(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: cần một ngày NĂM-THÁNG-NGÀY / a day as YEAR-MONTH-DAY, e.g. 2026-12-04")


def format_problems(problems, lang: str = "vi") -> str:
    """A plain table: where, what is wrong, what to do."""
    if not problems:
        return "Dữ liệu hợp lệ." if lang == "vi" else "The data is valid."
    head = (f"Có {len(problems)} lỗi trong dữ liệu:" if lang == "vi" else f"{len(problems)} problem(s) in the data:")
    where_title, what_title, fix_title = ("Vị trí", "Lỗi", "Cách sửa") if lang == "vi" else ("Where", "Problem", "What to do")
    lines = [head, ""]
    for p in problems:
        where = p.file
        if p.row:
            where += f", {'dòng' if lang == 'vi' else 'row'} {p.row}"
        if p.field:
            where += f", {'cột' if lang == 'vi' else 'column'} {p.field}"
        lines += [f"- {where_title}: {where}", f"  {what_title}: {p.message(lang)}", f"  {fix_title}: {p.fix(lang)}"]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
