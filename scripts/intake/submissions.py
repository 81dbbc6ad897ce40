"""A submitted issue form, read back into rows of data/ (`python -m scripts from-issue`).

GitHub writes a form's answers into the issue as Markdown: `### Label`, a blank line, the answer
("_No response_" for an optional one left empty; a dropdown's chosen option as its text). The
answers become new rows (an observation, a report, an honour; with their source), checked by
`validate` on a copy of the package with the rows added, and only then written to data/, every
file or none. Nothing here reads the clock: the submission's date is given.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .. import paths
from ..base.text import is_safe_url
from ..data.problems import Problem, problem
from .forms import FORMS, MODEL_SITE, Form, option_id, read_table

PLAN_YEARS = (2021, 2030)
NO_RESPONSE = "_No response_"
WHERE = "issue"           # Problem.file of a problem with an answer (Problem.field is the form field's id)

# Which answer a column of a new row comes from, so that a problem `validate` finds in the row is
# shown at the question a person answered.
ANSWER_OF = {
    "observations": {"target_id": "target", "year": "year", "value": "value", "note_vi": "note"},
    "reports": {"agency_id": "agency", "year": "year", "title": "title", "published_date": "date", "url": "url"},
    "sources": {"title": "nguon", "publisher": "don_vi", "date": "ngay", "url": "url"},
    "enterprises": {"name_vi": "enterprise", "name_en": "enterprise_en", "sector_id": "sector"},
    "honours": {"award": "award", "level": "level", "year": "year", "rating": "rating", "product_vi": "product",
                "prize_vi": "prize", "decision": "decision", "note_vi": "note"},
}
# The report form asks for its source's title, date and address under questions of its own.
ANSWER_OF_REPORT_SOURCE = {"title": "title", "publisher": "agency", "date": "date", "url": "url"}
LEGAL_FORMS = ("công ty cổ phần", "công ty tnhh một thành viên", "công ty tnhh mtv", "công ty trách nhiệm hữu hạn",
               "công ty tnhh", "công ty", "hợp tác xã", "htx", "doanh nghiệp tư nhân", "dntn", "cơ sở")


@dataclass
class Submission:
    """What a form adds: new rows per table, things the reviewer should know, the new date."""

    form: str
    rows: dict[str, list[dict]] = field(default_factory=dict)
    notes: list[tuple[str, str]] = field(default_factory=list)      # (vi, en)
    last_updated: str = ""

    def add(self, table: str, row: dict) -> None:
        self.rows.setdefault(table, []).append(row)

    def as_dict(self) -> dict:
        return {"form": self.form, "rows": self.rows, "notes": [{"vi": vi, "en": en} for vi, en in self.notes],
                "last_updated": self.last_updated}


# --- the issue's text -------------------------------------------------------------------------------

def parse_body(text: str) -> dict[str, str]:
    """{heading: answer} of GitHub's rendering of a form; an empty optional answer is ""."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parts = re.split(r"^### +(.+?)[ \t]*$", text, flags=re.M)
    out = {}
    for heading, answer in zip(parts[1::2], parts[2::2]):
        answer = answer.strip()
        out[_nfc(heading.strip())] = "" if answer == NO_RESPONSE else _nfc(answer)
    return out


def answers(form: Form, text: str) -> tuple[dict[str, str], list[Problem]]:
    """{field id: answer}, one line each; a required answer that is missing is a problem."""
    found = parse_body(text)
    out, problems = {}, []
    for f in form.fields:
        if f.label_vi not in found:
            if f.required:
                problems.append(problem("form-section-missing", WHERE, field=f.id, label_vi=f.label_vi, label_en=f.label_en,
                                        form_vi=form.name))
            out[f.id] = ""
            continue
        out[f.id] = " ".join(found[f.label_vi].split())
        if f.required and not out[f.id]:
            problems.append(_missing(f.id))
    return out, problems


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _missing(field_id: str) -> Problem:
    return problem("form-answer-missing", WHERE, field=field_id)


# --- answers into values -----------------------------------------------------------------------------

def read_number(text: str) -> tuple[str | None, bool]:
    """A number written the Vietnamese way (1.250,5) or plainly (1250.5, 1,250.5), as the CSV
    writes it ("1250.5"), and whether that reading changed how it was written."""
    s = re.sub(r"[\s\u00a0\u202f]", "", text).rstrip("%")
    plain = s
    if re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?", s):          # 1.250 or 1.250,5: dots group thousands
        plain = s.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"[+-]?\d+,\d+", s):                          # 1,5: the decimal comma
        plain = s.replace(",", ".")
    elif re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", s):         # 1,250,000 or 1,250.5: commas group thousands
        plain = s.replace(",", "")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", plain):
        return None, False
    try:
        value = format(Decimal(plain).normalize(), "f")
    except InvalidOperation:
        return None, False
    return value, value != text.strip()


def read_date(text: str) -> dt.date | None:
    """15/01/2026, 15-01-2026, 15.01.2026, "ngày 15 tháng 01 năm 2026" or 2026-01-15."""
    s = text.strip().lower()
    found = re.fullmatch(r"(?:ngày\s*)?(\d{1,2})\s*(?:[/.-]|\s+tháng\s+)\s*(\d{1,2})\s*(?:[/.-]|\s+năm\s+)\s*(\d{4})", s)
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s)
    try:
        if found:
            return dt.date(int(found[3]), int(found[2]), int(found[1]))
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
    except ValueError:
        return None
    return None


def read_url(text: str) -> tuple[str, bool]:
    """The address as a link can hold it: spaces inside (as a PDF's name often has) as %20."""
    inner = re.sub(r"\s+", "%20", text.strip().strip("<>"))
    return inner, inner != text.strip()


def slug(text: str, limit: int = 40) -> str:
    """ASCII, lower case, hyphens: "Báo cáo số 45/BC-SKHCN" → "bao-cao-so-45-bc-skhcn"."""
    folded = "".join(c for c in unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
                     if not unicodedata.combining(c))
    out = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if len(out) > limit:
        out = out[:limit].rsplit("-", 1)[0]
    return out


def _unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


# --- answers into rows -------------------------------------------------------------------------------

class _Reader:
    """Turns answers into values, collecting every problem instead of stopping at the first."""

    def __init__(self, answers: dict[str, str], submitted: dt.date, submission: Submission):
        self.a, self.submitted, self.sub, self.problems = answers, submitted, submission, []

    def fail(self, code: str, field_id: str, **details) -> None:
        self.problems.append(problem(code, WHERE, field=field_id, **details))

    def year(self, field_id: str, window: tuple[int, int] | None = PLAN_YEARS) -> str | None:
        text = self.a[field_id]
        if not text:
            return None
        if not re.fullmatch(r"(?:năm\s*)?\d{4}", text.lower()):
            self.fail("form-not-a-year", field_id, cell=text)
            return None
        year = int(text[-4:])
        if year > self.submitted.year:
            self.fail("form-year-future", field_id, cell=year, date=self.submitted.isoformat())
        elif window and not window[0] <= year <= window[1]:
            self.fail("form-year-outside-plan", field_id, cell=year, low=window[0], high=window[1])
        else:
            return str(year)
        return None

    def date(self, field_id: str) -> str:
        text = self.a[field_id]
        if not text:
            return ""
        value = read_date(text)
        if value is None:
            self.fail("form-bad-date", field_id, cell=text)
            return ""
        if value > self.submitted:
            self.fail("form-date-future", field_id, cell=f"{value:%d/%m/%Y}", date=f"{self.submitted:%d/%m/%Y}")
            return ""
        return value.isoformat()

    def number(self, field_id: str) -> str | None:
        text = self.a[field_id]
        if not text:
            return None
        value, reread = read_number(text)
        if value is None:
            self.fail("form-not-a-number", field_id, cell=text)
        elif reread:
            self.sub.notes.append((f"Giá trị \"{text}\" được đọc là {value}.", f"Value \"{text}\" was read as {value}."))
        return value

    def choice(self, field_id: str, allowed: dict[str, dict], what_vi: str, what_en: str) -> dict | None:
        text = self.a[field_id]
        if not text:
            return None
        key = option_id(text)
        if key not in allowed:
            self.fail("form-unknown-choice", field_id, cell=text, what_vi=what_vi, what_en=what_en)
            return None
        return allowed[key]

    def url(self, field_id: str) -> str:
        text = self.a[field_id]
        if not text:
            return ""
        value, changed = read_url(text)
        if not is_safe_url(value, web_only=True):
            self.fail("unsafe-url", field_id, cell=text)
            return ""
        if changed:
            self.sub.notes.append((f"Đường liên kết có dấu cách, đã ghi thành {value}; người duyệt mở thử để kiểm tra.",
                                   f"The link had spaces, written as {value}; the reviewer should open it to check."))
        return value


def _source(r: _Reader, package_path: Path, issue: int | None, title: str = "nguon", date: str = "ngay",
            publisher: str | None = None) -> tuple[str | None, str]:
    """(id, address) of the answer's source: an existing row with the same address, or a new row."""
    url, published = r.url("url"), r.date(date)
    if not url:
        return None, ""
    sources = read_table(package_path, "sources")
    same = next((s for s in sources if s["url"] == url), None)
    if same:
        r.sub.notes.append((f"Nguồn này đã có trong data/sources.csv (mã {same['id']}); dùng lại, không thêm dòng mới.",
                            f"This source is already in data/sources.csv (id {same['id']}); it is reused, not added again."))
        return same["id"], url
    row = {"id": _unique(slug(r.a[title]) or "nguon", {s["id"] for s in sources}), "title": r.a[title],
           "publisher": r.a["don_vi"] if publisher is None else publisher, "date": published, "url": url,
           "note_vi": f"Gửi qua mẫu trên GitHub (vấn đề #{issue})." if issue else "",
           "note_en": f"Submitted through a GitHub issue form (issue #{issue})." if issue else ""}
    r.sub.add("sources", row)
    return row["id"], url


def _observation(r: _Reader, package_path: Path, issue: int | None) -> None:
    targets = {t["id"]: t for t in read_table(package_path, "targets")}
    target = r.choice("target", targets, "chỉ tiêu", "target")
    year, value = r.year("year"), r.number("value")
    source_id, _ = _source(r, package_path, issue)
    if target and year:
        same = next((o for o in read_table(package_path, "observations")
                     if o["target_id"] == target["id"] and o["year"] == year), None)
        if same:
            r.fail("form-duplicate", "year", cell=f"{target['id']}, {year}", value=same["value"], source=same["source_id"])
            return
    if r.problems or not (target and year and value and source_id):
        return
    r.sub.add("observations", {"target_id": target["id"], "year": year, "value": value, "source_id": source_id,
                               "note_vi": r.a["note"], "note_en": ""})
    if r.a["note"]:
        r.sub.notes.append(("Ghi chú mới có tiếng Việt: người duyệt thêm bản tiếng Anh (cột note_en).",
                            "The note is in Vietnamese only: the reviewer adds the English (column note_en)."))


def _report(r: _Reader, package_path: Path, issue: int | None) -> None:
    agencies = {a["id"]: a for a in read_table(package_path, "agencies")}
    agency = r.choice("agency", agencies, "cơ quan", "agency")
    year = r.year("year")
    source_id, url = _source(r, package_path, issue, title="title", date="date", publisher=agency["name_vi"] if agency else "")
    if agency and year:
        same = next((x for x in read_table(package_path, "reports") if x["agency_id"] == agency["id"] and x["year"] == year), None)
        if same:
            r.fail("form-duplicate", "year", cell=f"{agency['id']}, {year}", value=same["title"], source=same["source_id"])
            return
    if r.problems or not (agency and year and source_id):
        return
    r.sub.add("reports", {"agency_id": agency["id"], "year": year, "title": r.a["title"],
                          "published_date": read_date(r.a["date"]).isoformat(), "url": url, "source_id": source_id})


def _honour(r: _Reader, package_path: Path, issue: int | None) -> None:
    awards = {a["id"]: a for a in read_table(package_path, "awards")}
    awards[MODEL_SITE[0]] = {"id": MODEL_SITE[0], "rated": "false"}
    award = r.choice("award", awards, "hình thức tôn vinh", "kind of honour")
    sectors = {s["id"]: s for s in read_table(package_path, "sectors")}
    sector = r.choice("sector", sectors, "ngành", "sector")
    year = r.year("year", window=None)
    source_id, _ = _source(r, package_path, issue)
    enterprises = read_table(package_path, "enterprises")
    name = r.a["enterprise"]
    known = next((e for e in enterprises if _same_name(e["name_vi"], name) or e["id"] == name), None)
    if not known:
        if not r.a["enterprise_en"]:
            r.fail("form-answer-missing", "enterprise_en", why_vi=" (cần khi doanh nghiệp chưa có trên trang)",
                   why_en=" (needed when the enterprise is not on the site yet)")
        if not sector and not r.a["sector"]:
            r.fail("form-answer-missing", "sector", why_vi=" (cần khi doanh nghiệp chưa có trên trang)",
                   why_en=" (needed when the enterprise is not on the site yet)")
    is_site = award is not None and award["id"] == MODEL_SITE[0]
    level = rating = None
    if award and not is_site:
        levels = {k: {"id": k} for k in ("district", "provincial", "regional", "national", "international")}
        level = r.choice("level", levels, "cấp", "level")
        if not r.a["level"]:
            r.fail("form-answer-missing", "level", why_vi=" (cần với giải thưởng, danh hiệu)", why_en=" (needed for an award)")
        if award.get("rated") == "true" and not r.a["rating"]:
            r.fail("form-answer-missing", "rating", why_vi=" (cần với sản phẩm OCOP)", why_en=" (needed for an OCOP product)")
        elif award.get("rated") == "true":
            rating = r.a["rating"].split()[0]
        elif r.a["rating"]:
            r.sub.notes.append((f"Hạng sao bỏ qua: giải {award['id']} không xếp hạng sao.",
                                f"Star rating left out: award {award['id']} has no star rating."))
    if r.problems or not (award and year and source_id and name):
        return
    enterprise_id = known["id"] if known else _unique(slug(_without_legal_form(name)) or slug(name), {e["id"] for e in enterprises})
    if not known:
        r.sub.add("enterprises", {"id": enterprise_id, "name_vi": name, "name_en": r.a["enterprise_en"],
                                  "sector_id": sector["id"] if sector else "", "source_id": source_id, "note_vi": "", "note_en": ""})
    if is_site:
        r.sub.notes.append(("Mô hình điểm: người duyệt viết câu chuyện (data/case-studies/) và thêm dòng vào "
                            f"data/model_sites.csv cho doanh nghiệp {enterprise_id}; mẫu chỉ thêm doanh nghiệp và nguồn.",
                            "Model site: the reviewer writes its story (data/case-studies/) and adds its row to "
                            f"data/model_sites.csv for enterprise {enterprise_id}; the form adds only the enterprise and the source."))
        return
    taken = {h["id"] for h in read_table(package_path, "honours")}
    r.sub.add("honours", {"id": _unique(f"{award['id']}-{year}-{enterprise_id}", taken), "enterprise_id": enterprise_id,
                          "award": award["id"], "level": level["id"] if level else "", "year": year, "rating": rating or "",
                          "prize_vi": r.a["prize"], "prize_en": "", "product_vi": r.a["product"], "product_en": "",
                          "decision": r.a["decision"], "decision_date": "", "round_id": "", "source_id": source_id,
                          "note_vi": r.a["note"], "note_en": "", "note_source_id": ""})
    if r.a["prize"] or r.a["product"] or r.a["note"]:
        r.sub.notes.append(("Giải, sản phẩm, ghi chú mới có tiếng Việt: người duyệt thêm bản tiếng Anh (các cột *_en).",
                            "Prize, product and note are in Vietnamese only: the reviewer adds the English (columns *_en)."))


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _without_legal_form(name: str) -> str:
    lowered = name.casefold()
    for prefix in LEGAL_FORMS:
        if lowered.startswith(prefix + " "):
            return name[len(prefix) + 1:]
    return name


ROWS = {"so-lieu": _observation, "bao-cao": _report, "ton-vinh": _honour}


def rows_from_answers(form_id: str, given: dict[str, str], package_path: Path, submitted: dt.date,
                      issue: int | None = None) -> tuple[Submission, list[Problem]]:
    submission = Submission(form_id)
    reader = _Reader(given, submitted, submission)
    ROWS[form_id](reader, package_path, issue)
    current = json.loads(package_path.read_text(encoding="utf-8-sig")).get("last_updated", "")
    # never back: the data may already have been reviewed on a later day
    submission.last_updated = max(current, submitted.isoformat())
    return submission, reader.problems


# --- files -------------------------------------------------------------------------------------------

def new_files(submission: Submission, package_path: Path) -> dict[str, bytes]:
    """{path inside the package folder: new bytes} of every file the submission changes."""
    descriptor = json.loads(package_path.read_text(encoding="utf-8-sig"))
    where = {r["name"]: r["path"] for r in descriptor["resources"]}
    out = {}
    for table, rows in submission.rows.items():
        out[where[table]] = _appended(package_path.parent / where[table], rows)
    text = package_path.read_text(encoding="utf-8")
    bumped = re.sub(r'("last_updated"\s*:\s*")[0-9-]*(")', lambda m: m[1] + submission.last_updated + m[2], text, count=1)
    if bumped != text:
        out[package_path.name] = bumped.encode("utf-8")
    return out


def _appended(path: Path, rows: list[dict]) -> bytes:
    """The CSV with the rows added at its end; the rows already there keep their exact bytes."""
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig")
    ending = "\r\n" if "\r\n" in text else "\n"
    header = next(csv.reader(io.StringIO(text, newline="")))
    if text and not text.endswith(("\n", "\r")):
        text += ending
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=ending)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header])
    bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    return (bom + text + buffer.getvalue()).encode("utf-8")


def write_all(folder: Path, files: dict[str, bytes]) -> None:
    """Every file or none: each is written beside its target first, then all are swapped in; if a
    swap fails, the ones already swapped are put back."""
    staged, done = {}, []
    try:
        for name, data in files.items():
            target = folder / name
            temporary = target.with_name(f".{target.name}.submission")
            temporary.write_bytes(data)
            staged[target] = (temporary, target.read_bytes() if target.exists() else None)
        for target, (temporary, _) in staged.items():
            os.replace(temporary, target)
            done.append(target)
    except BaseException:
        for target in done:
            before = staged[target][1]
            if before is not None:
                target.write_bytes(before)
        for temporary, _ in staged.values():
            temporary.unlink(missing_ok=True)
        raise


def check(submission: Submission, package_path: Path) -> list[Problem]:
    """`validate` on a copy of the package with the submission in it; a problem in a new row is
    moved to the question that row came from."""
    from ..data.validate import validate

    files = new_files(submission, package_path)
    descriptor = json.loads(package_path.read_text(encoding="utf-8-sig"))
    table_of = {r["path"]: r["name"] for r in descriptor["resources"]}
    before = {path: _line_count(package_path.parent / path) for path in files if path in table_of}
    with tempfile.TemporaryDirectory(prefix="from-issue-") as scratch:
        copy = Path(scratch) / "data"
        shutil.copytree(package_path.parent, copy, symlinks=True)
        for name, data in files.items():
            (copy / name).write_bytes(data)
        found = validate(copy / package_path.name)
        out = []
        for p in found:
            name = Path(p.file).relative_to(copy).as_posix() if Path(p.file).is_relative_to(copy) else p.file
            table = table_of.get(name)
            if table and p.row and p.row > before.get(name, 10**9):
                answers_of = ANSWER_OF_REPORT_SOURCE if (submission.form, table) == ("bao-cao", "sources") else ANSWER_OF.get(table, {})
                answer = answers_of.get(p.field or "")
                if answer not in {f.id for f in FORMS[submission.form].fields}:
                    answer = None
                out.append(Problem(p.code, WHERE, None, answer, p.details) if answer else
                           Problem(p.code, f"data/{name}", None, p.field, p.details))
            else:
                out.append(Problem(p.code, f"{paths.DATA.name}/{name}", p.row, p.field, p.details))
        # a report's title is also its source's title: one question, said once
        once: dict[tuple, Problem] = {}
        for p in out:
            once.setdefault((p.code, p.file, p.row, p.field), p)
        return list(once.values())


def _line_count(path: Path) -> int:
    text = path.read_text(encoding="utf-8-sig")
    return text.count("\n") + (0 if text.endswith("\n") or not text else 1)


def from_issue(form_id: str, body: str, package_path: Path, submitted: dt.date, issue: int | None = None,
               apply: bool = True) -> tuple[Submission, list[Problem]]:
    """Read, check and (unless apply=False, or anything is wrong) write one submission."""
    form = FORMS[form_id]
    given, problems = answers(form, body)
    submission, more = rows_from_answers(form_id, given, package_path, submitted, issue)
    problems += [p for p in more if (p.code, p.field) not in {(q.code, q.field) for q in problems}]
    if problems:
        return submission, problems
    if not submission.rows:
        return submission, [problem("form-nothing-new", WHERE)]
    problems = check(submission, package_path)
    if not problems and apply:
        write_all(package_path.parent, new_files(submission, package_path))
    return submission, problems


# --- what a person reads ---------------------------------------------------------------------------

def where(p: Problem, form: Form, lang: str) -> str:
    if p.file == WHERE:
        if p.field:
            f = form.field(p.field)
            return f"“{f.label_vi}”" if lang == "vi" else f"“{f.label_en}” ({f.label_vi})"
        return "Nội dung vấn đề" if lang == "vi" else "The issue's text"
    place = p.file + (f", {'dòng' if lang == 'vi' else 'row'} {p.row}" if p.row else "")
    return place + (f", {'cột' if lang == 'vi' else 'column'} {p.field}" if p.field else "")


def report(form_id: str, submission: Submission, problems: list[Problem], lang: str, applied: bool) -> str:
    """Plain text for a terminal."""
    form = FORMS[form_id]
    if problems:
        head = f"Có {len(problems)} vấn đề trong mẫu đã gửi:" if lang == "vi" else f"{len(problems)} problem(s) in the submitted form:"
        lines = [head, ""]
        for p in problems:
            lines += [f"- {'Mục' if lang == 'vi' else 'Question'}: {where(p, form, lang)}",
                      f"  {'Lỗi' if lang == 'vi' else 'Problem'}: {p.message(lang)}",
                      f"  {'Cách sửa' if lang == 'vi' else 'What to do'}: {p.fix(lang)}"]
        return "\n".join(lines)
    verb = ("Đã thêm" if applied else "Sẽ thêm") if lang == "vi" else ("Added" if applied else "Would add")
    lines = []
    for table, rows in submission.rows.items():
        lines.append(f"{verb} {len(rows)} {'dòng vào' if lang == 'vi' else 'row(s) to'} data/{table}.csv:")
        lines += [f"  {', '.join(f'{k}={v}' for k, v in row.items() if v)}" for row in rows]
    lines.append(("Ngày cập nhật dữ liệu (last_updated): " if lang == "vi" else "Data updated (last_updated): ") + submission.last_updated)
    lines += [f"- {vi if lang == 'vi' else en}" for vi, en in submission.notes]
    return "\n".join(lines)


def markdown(form_id: str, submission: Submission, problems: list[Problem]) -> str:
    """Both languages, for a comment on the issue or the body of the pull request."""
    form = FORMS[form_id]
    if problems:
        out = ["**Chưa thêm được số liệu: mẫu đã gửi có vấn đề cần sửa.** Bấm **…** > **Edit** ở đầu vấn đề này, sửa "
               "các mục dưới đây rồi bấm **Update comment**; phần kiểm tra sẽ chạy lại.",
               "", "*The form could not be added yet: please edit the issue (**…** > **Edit**), correct the answers "
               "below and save; the check runs again.*", "",
               "| Mục · Question | Lỗi · Problem | Cách sửa · What to do |", "|---|---|---|"]
        for p in problems:
            out.append(f"| {_cell(where(p, form, 'vi'))}<br>*{_cell(where(p, form, 'en'))}* | {_cell(p.message('vi'))}<br>"
                       f"*{_cell(p.message('en'))}* | {_cell(p.fix('vi'))}<br>*{_cell(p.fix('en'))}* |")
        return "\n".join(out) + "\n"
    out = ["Các dòng mới, đã qua kiểm tra tự động · *New rows, checked automatically*:", ""]
    for table, rows in submission.rows.items():
        names = [k for k in rows[0] if any(r.get(k) for r in rows)]
        out += [f"**data/{table}.csv**", "", "| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
        out += ["| " + " | ".join(_cell(r.get(k, "")) for k in names) + " |" for r in rows]
        out.append("")
    out.append(f"`last_updated`: {submission.last_updated}")
    if submission.notes:
        out += ["", "Người duyệt cần biết · *For the reviewer*:"]
        out += [f"- {_cell(vi)} · *{_cell(en)}*" for vi, en in submission.notes]
    out += ["", "Trang chỉ thay đổi khi yêu cầu này được hợp nhất. · *The site changes only when this is merged.*"]
    return "\n".join(out) + "\n"


def as_json(form_id: str, submission: Submission, problems: list[Problem], applied: bool) -> dict:
    """For machines: the rows, the notes, and each problem with its question's labels."""
    form = FORMS[form_id]
    listed = []
    for p in problems:
        entry = p.as_dict()
        if p.file == WHERE and p.field:
            entry["label_vi"], entry["label_en"] = form.field(p.field).label_vi, form.field(p.field).label_en
        listed.append(entry)
    return {"ok": not problems, "applied": applied and not problems, **submission.as_dict(), "problems": listed}


def _cell(text: str) -> str:
    """Text from a submission inside a Markdown table: no table breaks, no HTML, no mentions."""
    text = " ".join(str(text).split()).replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("@", "@\u200b")
