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
    check.add_argument("--package", type=Path, default=paths.PACKAGE, help="the datapackage.json to check")
    check.add_argument("--fix", action="store_true",
                       help="correct safe, mechanical problems (Unicode NFC, stray spaces, TRUE/FALSE) and list each change")
    check.add_argument("--dry-run", action="store_true", help="with --fix: only list what would change, write nothing")
    make = sub.add_parser("build", help="validate, then build the site into build/ (unchanged on failure)")
    make.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of the messages (default vi)")
    make.add_argument("--out", type=Path, default=paths.BUILD, help="where to put the site (default build/)")
    make.add_argument("--engine", choices=["mkdocs", "zensical"], default="mkdocs",
                      help="what turns the pages into HTML (default mkdocs; zensical needs `make zensical`)")
    args = parser.parse_args(argv)
    try:
        if args.command == "validate":
            return _validate(args)
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


def _validate(args) -> int:
    from .validate import fix, validate

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


def _build(args) -> int:
    from .build import BuildFailed, DataInvalid, build
    from .engines import EngineMissing

    try:
        result = build(args.out, engine=args.engine)
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
