"""Model-site case studies: Markdown files with YAML front matter under data/case-studies/.

`data/case-studies/<id>.md` holds the facts (front matter, checked against data/case-study.schema.json)
and the Vietnamese story; `<id>.en.md` beside it holds the English story. Each is listed in
data/model_sites.csv. `validate` returns every problem, located by file, line and field; `load`
returns the sound case studies; `safe_markdown` makes a story safe to put on a page.
"""
from __future__ import annotations

import csv
import functools
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml
from jsonschema import Draft202012Validator
from markupsafe import Markup

from .. import paths
from ..base.text import safe_url
from .problems import CATALOGUE, TYPE_NAMES, Problem, problem

FOLDER = "case-studies"                       # inside data/
SCHEMA = paths.CASE_STUDY_SCHEMA
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass
class CaseStudy:
    id: str
    file: str                 # as shown to people, relative to the project root
    meta: dict                # the front matter
    body_vi: str
    body_en: str


# --- reading one file -------------------------------------------------------------------------------

def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter or None, body, line on which the body starts)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, text, 1
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 2
    return None, text, 1


def parse(path: Path, shown: str) -> tuple[dict | None, str, int, list[Problem]]:
    """Read one Vietnamese case-study file: (front matter, body, first body line, problems)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return None, "", 1, [problem("not-utf8", shown, encoding="?")]
    front, body, body_line = split_front_matter(text)
    if front is None:
        return None, body, body_line, [proposed_problem(
            "front-matter-syntax", shown, 1, None,
            detail="tệp phải bắt đầu bằng dòng --- và phần thông tin đầu trang phải kết thúc bằng một dòng --- "
                   "/ the file must start with a --- line, and the front matter must end with another --- line")]
    try:
        meta = yaml.safe_load(front)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        line = mark.line + 2 if mark else 1          # the front matter starts on line 2
        reason = getattr(err, "problem", None) or str(err).split("\n")[0]
        return None, body, body_line, [proposed_problem("front-matter-syntax", shown, line, None, detail=reason)]
    if not isinstance(meta, dict):
        return None, body, body_line, [proposed_problem(
            "front-matter-syntax", shown, 2, None,
            detail="cần các dòng dạng tên: giá trị / expected lines of the form name: value")]
    return meta, body, body_line, []


def check_front_matter(meta: dict, front_text_lines: dict[str, int], shown: str) -> list[Problem]:
    """The schema, as located problems: one per wrong value."""
    out, missing_seen = [], set()
    for err in sorted(_validator().iter_errors(meta), key=lambda e: list(map(str, e.absolute_path))):
        where = list(err.absolute_path)
        if err.validator == "required":
            for missing in err.validator_value:
                field = _dotted(where + [missing])
                if missing not in err.instance and field not in missing_seen:
                    missing_seen.add(field)
                    out.append(problem("required", shown, front_text_lines.get(_dotted(where), 1), field))
            continue
        field = _dotted(where)
        line = front_text_lines.get(field, 1)
        cell = _cell(err.instance)
        if err.validator == "additionalProperties":
            extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
            for name in extra:
                out.append(proposed_problem("unknown-field", shown, front_text_lines.get(_dotted(where + [name]), line), _dotted(where + [name]),
                                            cell=name, detail="trường không có trong lược đồ / not a field of the schema"))
        elif err.validator == "enum":
            out.append(problem("not-allowed", shown, line, field, cell=cell, allowed=", ".join(map(str, err.validator_value))))
        elif err.validator in ("minimum", "maximum"):
            schema = err.schema
            out.append(problem("out-of-range", shown, line, field, cell=cell,
                               limit=f"{schema.get('minimum', '')}–{schema.get('maximum', '')}",
                               advice_vi="Kiểm tra lại năm; năm phải trong khoảng 2011–2035.",
                               advice_en="Check the year; years must be within 2011–2035."))
        elif err.validator == "pattern":
            out.append(problem("bad-identifier", shown, line, field, cell=cell))
        elif err.validator == "type" and err.validator_value in ("integer", "number"):
            vi, en, hint_vi, hint_en = TYPE_NAMES[err.validator_value]
            out.append(problem("wrong-type", shown, line, field, cell=cell, type_vi=vi, type_en=en, hint_vi=hint_vi, hint_en=hint_en))
        else:
            out.append(proposed_problem("invalid-field", shown, line, field, cell=cell, detail=err.message))
    return out


RAW_HTML = re.compile(r"<!--|<![A-Za-z]|<\?|</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>")
AUTOLINK = re.compile(r"<https?://[^\s<>]+>")
LINK = re.compile(r"(!?)\[([^\]]*)\]\(\s*<?([^()\s>]*(?:\([^()\s]*\)[^()\s>]*)*)>?(\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^(\s{0,3}\[[^\]]+\]:\s*)(\S+)(.*)$")
FENCE = re.compile(r"^\s{0,3}(```|~~~)")


def check_body(body: str, first_line: int, shown: str) -> list[Problem]:
    """Raw HTML, images and links that are not plain web addresses: each a problem on its line."""
    out = []
    for number, line, in_code in _lines(body, first_line):
        if in_code:
            continue
        text = _without_code_spans(AUTOLINK.sub("", line))
        found = RAW_HTML.search(text)
        if found:
            out.append(proposed_problem("raw-html", shown, number, "body", cell=found.group(0)[:60],
                                        detail="mã HTML không được phép, chỉ dùng Markdown / raw HTML is not allowed, use Markdown"))
        for image, _, target, _ in LINK.findall(text):
            if image:
                out.append(proposed_problem("unsafe-url", shown, number, "body", cell=target,
                                            path_vi=" (trang không hiển thị hình ảnh trong câu chuyện)",
                                            path_en=" (pictures are not shown in a story)",
                                            detail="không dùng hình ảnh / no pictures"))
            elif not _safe_link(target):
                out.append(proposed_problem("unsafe-url", shown, number, "body", cell=target, path_vi="", path_en="",
                                            detail="liên kết phải là địa chỉ web đầy đủ / a link must be a full web address"))
        reference = REFERENCE.match(text)
        if reference and not _safe_link(reference.group(2)):
            out.append(proposed_problem("unsafe-url", shown, number, "body", cell=reference.group(2), path_vi="", path_en="",
                                        detail="liên kết phải là địa chỉ web đầy đủ / a link must be a full web address"))
    return out


def safe_markdown(body: str) -> Markup:
    """A story from data made safe for the page: any HTML shown as text, no attribute lists, no pictures,
    links only to web addresses, headings below the page's "Story" heading (h2): # becomes h3, and
    so on to h6, so the outline a screen reader walks stays whole."""
    out = []
    for _, line, in_code in _lines(body, 1):
        if in_code:
            out.append(line)
            continue
        line = "".join(part if CODE_SPAN.fullmatch(part) else _neutralise(part) for part in CODE_SPAN.split(line))
        reference = REFERENCE.match(line)
        if reference and not _safe_link(reference.group(2)):
            line = f"{reference.group(1)}#{reference.group(3)}"
        heading = re.match(r"^\s{0,3}(#{1,6})(\s)", line)
        if heading:
            line = "#" * min(len(heading.group(1)) + 2, 6) + line[heading.end(1):]
        out.append(line)
    return Markup("\n".join(out).strip() + "\n")


# --- the whole folder, with the listing in model_sites.csv ------------------------------------------

def validate(data_dir: Path = paths.DATA) -> list[Problem]:
    """Every problem in the case studies and in their listing, in file order."""
    studies, problems = _read_all(data_dir)
    return sorted(problems, key=lambda p: (p.file, p.row or 0, p.field or "", p.code))


def load(data_dir: Path = paths.DATA) -> list[CaseStudy]:
    """The case studies that have no problem, in the order of model_sites.csv."""
    studies, problems = _read_all(data_dir)
    broken = {p.file for p in problems}
    return [s for s in studies if s.file not in broken and s.file.removesuffix(".md") + ".en.md" not in broken]


def _read_all(data_dir: Path) -> tuple[list[CaseStudy], list[Problem]]:
    folder = data_dir / FOLDER
    listing_file = data_dir / "model_sites.csv"
    listing = _csv_rows(listing_file)
    known = {name: {r.get("id") for _, r in (_csv_rows(data_dir / f"{name}.csv") or [])}
             for name in ("enterprises", "sectors", "sources", "tools")}
    problems: list[Problem] = []
    studies: list[CaseStudy] = []
    listed: dict[str, tuple[int, dict]] = {}

    # 1. Each row of the listing points at a file inside data/case-studies/
    shown_listing = _shown(listing_file)
    for line, row in listing or []:
        rel = (row.get("path") or "").strip()
        reason = _outside(data_dir, rel)
        if reason:
            problems.append(proposed_problem("file-outside-data", shown_listing, line, "path", cell=rel, reason_vi=reason[0], reason_en=reason[1],
                                             detail=f"{reason[0]} / {reason[1]}"))
            continue
        target = data_dir / rel
        if Path(rel).parent.as_posix() != FOLDER or not rel.endswith(".md") or rel.endswith(".en.md"):
            problems.append(proposed_problem("invalid-field", shown_listing, line, "path", cell=rel,
                                             detail=f"cần dạng {FOLDER}/<mã>.md / expected {FOLDER}/<id>.md"))
            continue
        if not target.is_file():
            problems.append(proposed_problem("missing-referenced-file", shown_listing, line, "path", cell=rel, detail="không tìm thấy tệp / file not found"))
            continue
        if target.stem != row.get("id"):
            problems.append(proposed_problem("invalid-field", shown_listing, line, "path", cell=rel,
                                             detail=f"tên tệp phải là {row.get('id')}.md / the file must be named {row.get('id')}.md"))
            continue
        listed[target.stem] = (line, row)

    # 2. Each file: its front matter, its story, its English story, its listing
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        if path.name == "README.md":          # the folder's instructions, not a case study
            continue
        if path.name.endswith(".en.md"):
            if not (folder / path.name.replace(".en.md", ".md")).is_file():
                problems.append(proposed_problem("missing-referenced-file", _shown(path), 1, None, cell=path.name.replace(".en.md", ".md"),
                                                 detail="bản tiếng Anh không có bản tiếng Việt đi kèm / an English story without its Vietnamese file"))
            continue
        shown = _shown(path)
        if not SLUG.match(path.stem):
            problems.append(problem("bad-identifier", shown, None, "id", cell=path.stem))
        if path.stem not in listed and listing is not None:
            problems.append(proposed_problem("unlisted-case-study", shown, 1, None, cell=path.stem,
                                             detail=f"chưa có dòng trong {shown_listing} / not listed in {shown_listing}"))
        meta, body, body_line, found = parse(path, shown)
        problems += found
        if meta is None:
            continue
        lines = _key_lines(path)
        found = check_front_matter(meta, lines, shown)
        found += check_body(body, body_line, shown)
        found += _check_links(meta, lines, shown, known)
        if path.stem in listed:
            found += _check_listing(meta, lines, shown, listed[path.stem][1])
        english = path.with_name(f"{path.stem}.en.md")
        body_en = ""
        if not english.is_file():
            found.append(proposed_problem("missing-referenced-file", shown, 1, None, cell=_shown(english),
                                          detail="thiếu bản tiếng Anh / the English story is missing"))
        else:
            try:
                body_en = english.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError:
                found.append(problem("not-utf8", _shown(english), encoding="?"))
            else:
                found += check_body(body_en, 1, _shown(english))
        problems += found
        studies.append(CaseStudy(path.stem, shown, meta, body, body_en))
    order = {sid: i for i, sid in enumerate(listed)}
    studies.sort(key=lambda s: order.get(s.id, len(order)))
    return studies, problems


def _check_links(meta: dict, lines: dict[str, int], shown: str, known: dict[str, set]) -> list[Problem]:
    """Ids in the front matter that point at rows of other tables."""
    out = []

    def check(field: str, value, table: str):
        if isinstance(value, str) and SLUG.match(value) and known.get(table) and value not in known[table]:
            out.append(problem("broken-link", shown, lines.get(field, 1), field, cell=value,
                               target=str(PurePosixPath(shown).parent.parent / f"{table}.csv")))

    check("enterprise_id", meta.get("enterprise_id"), "enterprises")
    check("sector_id", meta.get("sector_id"), "sectors")
    check("source_id", meta.get("source_id"), "sources")
    for i, tool in enumerate(meta.get("tools") or [] if isinstance(meta.get("tools"), list) else []):
        check(f"tools[{i}]", tool, "tools")
    for i, result in enumerate(meta.get("results") or [] if isinstance(meta.get("results"), list) else []):
        if isinstance(result, dict):
            check(f"results[{i}].source_id", result.get("source_id"), "sources")
    start, end = meta.get("year_start"), meta.get("year_end")
    if isinstance(start, int) and isinstance(end, int) and end < start:
        out.append(proposed_problem("invalid-field", shown, lines.get("year_end", 1), "year_end", cell=end,
                                    detail=f"năm kết thúc trước năm bắt đầu {start} / ends before it starts ({start})"))
    return out


def _check_listing(meta: dict, lines: dict[str, int], shown: str, row: dict) -> list[Problem]:
    """The front matter and the package's model_sites.csv must say the same."""
    listing = str(PurePosixPath(shown).parent.parent / "model_sites.csv")
    out = []
    for field in ("enterprise_id", "sector_id", "source_id"):
        if field in meta and row.get(field) is not None and str(meta[field]) != row[field]:
            out.append(proposed_problem("invalid-field", shown, lines.get(field, 1), field, cell=meta[field],
                                        detail=f"{listing} ghi \"{row[field]}\" / {listing} says \"{row[field]}\""))
    return out


# --- helpers ----------------------------------------------------------------------------------------

# Codes this module and enterprises.py use that scripts/data/problems.py does not have yet, with their texts,
# for its owner to move there; until one is there, a problem of that kind is an "invalid-cell" that
# carries the detail in both languages.
PROPOSED_CODES: dict[str, tuple[str, str, str, str]] = {
    "unknown-field": (
        "Trường \"{cell}\" không có trong lược đồ {package}case-study.schema.json.",
        "Field \"{cell}\" is not in the schema {package}case-study.schema.json.",
        "Xóa trường này, hoặc sửa tên cho đúng với lược đồ (chữ thường, tiếng Việt là _vi, tiếng Anh là _en).",
        "Remove the field, or correct its name to the schema's (lowercase; _vi for Vietnamese, _en for English).",
    ),
    "rating-mismatch": (
        "Hạng sao \"{cell}\" không khớp với giải thưởng: {detail}.",
        "Star rating \"{cell}\" does not fit the award: {detail}.",
        "Chỉ sản phẩm OCOP có hạng sao (3, 4 hoặc 5); với các giải khác để trống cột rating.",
        "Only OCOP products have a star rating (3, 4 or 5); leave the rating empty for other awards.",
    ),
}


def code_for(code: str) -> str:
    """The code a problem of this kind gets today."""
    return code if code in CATALOGUE else "invalid-cell"


def proposed_problem(code: str, file: str, row: int | None, field: str | None, **details) -> Problem:
    """A proposed code when scripts/data/problems.py has it; until then "invalid-cell" with the detail."""
    if code in CATALOGUE:
        return problem(code, file, row, field, **details)
    return problem("invalid-cell", file, row, field, cell=details.get("cell", ""), detail=details.get("detail", code))


@functools.lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def _dotted(path: list) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _cell(value) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)[:80]
    return str(value)


def _key_lines(path: Path) -> dict[str, int]:
    """Line of each key and list item in the front matter, e.g. {"results[0].before": 14}."""
    front, _, _ = split_front_matter(path.read_text(encoding="utf-8-sig"))
    try:
        node = yaml.compose(front or "")
    except yaml.YAMLError:
        return {}
    out: dict[str, int] = {}

    def walk(node, prefix: list):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                here = prefix + [key.value]
                out[_dotted(here)] = key.start_mark.line + 2
                walk(value, here)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                here = prefix + [i]
                out[_dotted(here)] = item.start_mark.line + 2
                walk(item, here)

    if node is not None:
        walk(node, [])
    return out


def _lines(body: str, first_line: int):
    """(line number, line, inside a fenced code block) for each line of a story."""
    fence = None
    for offset, line in enumerate(body.split("\n")):
        opened = FENCE.match(line)
        if fence is None and opened:
            fence = opened.group(1)
            yield first_line + offset, line, True
        elif fence is not None:
            if line.strip().startswith(fence):
                fence = None
            yield first_line + offset, line, True
        else:
            yield first_line + offset, line, False


CODE_SPAN = re.compile(r"(`+[^`]*?`+)")


def _without_code_spans(line: str) -> str:
    return CODE_SPAN.sub("", line)


def _neutralise(text: str) -> str:
    """Outside code: HTML shown as text, no attribute lists, safe links only."""
    text = AUTOLINK.sub(lambda m: f"[{m.group(0)[1:-1]}]({m.group(0)[1:-1]})", text)
    text = text.replace("<", "&lt;").replace("{", "&#123;").replace("}", "&#125;")
    return LINK.sub(_safe_link_markdown, text)


def _safe_link(target: str) -> bool:
    return target.startswith(("http://", "https://")) and safe_url(target) != "#"


def _safe_link_markdown(match: re.Match) -> str:
    image, label, target, title = match.groups()
    if image:
        return label                                   # pictures are not shown; their alt text is
    return f"[{label}]({safe_url(target) if _safe_link(target) else '#'}{title or ''})"


def _outside(data_dir: Path, rel: str) -> tuple[str, str] | None:
    if not rel:
        return None
    if rel.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", rel):
        return "đường dẫn tuyệt đối", "an absolute path"
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", rel):
        return "một địa chỉ web, không phải tệp", "a web address, not a file"
    resolved = (data_dir / rel).resolve()
    if ".." in Path(rel).parts or not resolved.is_relative_to(data_dir.resolve()):
        return "đường dẫn đi ra ngoài thư mục đó", "the path leads out of that folder"
    return None


def _csv_rows(path: Path) -> list[tuple[int, dict]] | None:
    """(line, row) for a CSV file, or None when it cannot be read (the package validator reports that)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    out, line = [], 2
    for row in reader:
        out.append((line, row))
        line = reader.line_num + 1
    return out


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(paths.ROOT).as_posix()
    except ValueError:
        return path.as_posix()
