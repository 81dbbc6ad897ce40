"""The GitHub issue forms through which a figure, a report or an honour comes in, and the links
that open them already filled in.

The forms are generated from the Data Package (`python -m scripts forms`), so their lists of
targets and agencies never drift from data/. Each field has an id (the query parameter GitHub
fills it from, and the key `scripts/intake/submissions.py` reads the answer by) and a Vietnamese label
(the heading GitHub writes above the answer in the issue's text).
"""
from __future__ import annotations

import csv
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import paths, settings

# Every issue opened with a form carries the first label; the second says which form it was.
SUBMISSION_LABEL = "gui-du-lieu"
REVIEW_LABEL = "can-duyet"
OPTION_SEP = " — "          # between an option's id (read back) and its words (for people)
OPTION_WORDS = 90           # longest text shown after the id in a dropdown option


@dataclass(frozen=True)
class Field:
    id: str
    kind: str                   # input, textarea or dropdown
    label_vi: str
    label_en: str
    help_vi: str
    help_en: str
    required: bool = True
    placeholder: str = ""
    options: str = ""           # for a dropdown: the list it offers (see `options`)


@dataclass(frozen=True)
class Form:
    id: str
    file: str                   # under .github/ISSUE_TEMPLATE/
    name: str
    about_vi: str
    about_en: str
    title: str
    intro_vi: str
    intro_en: str
    fields: tuple[Field, ...]

    @property
    def labels(self) -> list[str]:
        return [SUBMISSION_LABEL, f"mau-{self.id}"]

    def field(self, field_id: str) -> Field:
        for f in self.fields:
            if f.id == field_id:
                return f
        raise KeyError(f"Form {self.id!r} has no field {field_id!r}: see FORMS in scripts/intake/forms.py")


YEAR_HELP = ("Năm mà số liệu phản ánh, trong thời kỳ của Kế hoạch ({period}), ví dụ {example}.",
             "The year the figure is for, within the plan's period ({period}), e.g. {example}.")
DATE_HELP = ("Ngày/tháng/năm, ví dụ 15/01/2026.", "Day/month/year, e.g. 15/01/2026.")


def _source_fields(what_vi: str, what_en: str) -> tuple[Field, ...]:
    return (
        Field("nguon", "input", "Tên văn bản hoặc bài viết", "Title of the document or article",
              f"Tên đầy đủ của {what_vi}, ví dụ Báo cáo số 45/BC-SKHCN ngày 15/01/2026.",
              f"The full title of {what_en}, e.g. Report No. 45/BC-SKHCN of 15 January 2026."),
        Field("don_vi", "input", "Cơ quan công bố", "Publisher",
              "Cơ quan, đơn vị hoặc tờ báo đã công bố, ví dụ Sở Khoa học và Công nghệ.",
              "The body or newspaper that published it, e.g. Department of Science and Technology."),
        Field("ngay", "input", "Ngày công bố", "Publication date", DATE_HELP[0] + " Để trống nếu văn bản không ghi ngày.",
              DATE_HELP[1] + " Leave it empty if the document shows no date.", required=False, placeholder="15/01/2026"),
        Field("url", "input", "Đường liên kết", "Link (URL)",
              "Địa chỉ trang web hoặc tệp PDF để người đọc mở và kiểm tra, bắt đầu bằng https://.",
              "The address of the web page or PDF where readers can check it, starting with https://.",
              placeholder="https://"),
    )


FORMS: dict[str, Form] = {f.id: f for f in (
    Form(
        id="so-lieu", file="gui-so-lieu.yml", name="Gửi số liệu đã công bố",
        about_vi="Một số liệu thực hiện chỉ tiêu của {plan}, kèm nguồn đã công bố.",
        about_en="Submit a published figure for one of the plan's targets, with its source.",
        title="[Số liệu] ",
        intro_vi="Mỗi lần gửi một số liệu của một chỉ tiêu trong một năm. Số liệu phải đã được công bố "
                 "(báo cáo, văn bản, bài báo) và có đường liên kết để người đọc kiểm tra. Sau khi gửi, số liệu "
                 "được kiểm tra tự động và chuyển cho người duyệt; trang chỉ cập nhật khi đã được duyệt.",
        intro_en="One figure, for one target and one year, that has been published (a report, a decision, an "
                 "article) at an address readers can check. It is checked automatically, then reviewed; the "
                 "site changes only after review.",
        fields=(
            Field("target", "dropdown", "Chỉ tiêu", "Target",
                  "Chọn chỉ tiêu của Kế hoạch mà số liệu này đo.", "The plan's target this figure measures.",
                  options="targets"),
            Field("year", "input", "Năm", "Year", *YEAR_HELP, placeholder="2025"),
            Field("value", "input", "Giá trị", "Value",
                  "Chỉ ghi số, theo đơn vị của chỉ tiêu. Dấu phẩy là dấu thập phân (1,5), dấu chấm ngăn cách hàng "
                  "nghìn (1.250).",
                  "The number only, in the target's unit. A comma is the decimal mark (1,5 = 1.5) and a dot "
                  "separates thousands (1.250 = 1250), as in Vietnamese."),
            *_source_fields("văn bản hoặc bài viết công bố số liệu", "the document or article that published the figure"),
            Field("note", "textarea", "Ghi chú", "Note",
                  "Điều người đọc cần biết để hiểu đúng số liệu (phạm vi, cách tính, trang trong văn bản).",
                  "What a reader needs to read the figure right (scope, method, page of the document).",
                  required=False),
        )),
    Form(
        id="bao-cao", file="bao-cao-hang-nam.yml", name="Báo cáo hằng năm đã công bố",
        about_vi="Đường liên kết tới báo cáo hằng năm về thực hiện {plan} của một cơ quan.",
        about_en="The link to an agency's published annual report on carrying out {plan_en}.",
        title="[Báo cáo] ",
        intro_vi="Mỗi lần gửi một báo cáo của một cơ quan cho một năm. Báo cáo phải đã được công bố ở một "
                 "địa chỉ người đọc mở được.",
        intro_en="One report, from one agency, for one year, published at an address readers can open.",
        fields=(
            Field("agency", "dropdown", "Cơ quan", "Agency", "Cơ quan ban hành báo cáo.", "The agency that issued the report.",
                  options="agencies"),
            Field("year", "input", "Năm báo cáo", "Year reported on", *YEAR_HELP, placeholder="2025"),
            Field("title", "input", "Tên báo cáo", "Title of the report",
                  "Số, ký hiệu và trích yếu, ví dụ Báo cáo số 45/BC-SKHCN về kết quả thực hiện {plan} năm {example}.",
                  "Number, reference and subject, e.g. Report No. 45/BC-SKHCN on carrying out {plan_en} in {example}."),
            Field("date", "input", "Ngày công bố", "Publication date", *DATE_HELP, placeholder="15/01/2026"),
            Field("url", "input", "Đường liên kết", "Link (URL)",
                  "Địa chỉ trang web hoặc tệp PDF của báo cáo, bắt đầu bằng https://.",
                  "The address of the report's web page or PDF, starting with https://.", placeholder="https://"),
        )),
    Form(
        id="ton-vinh", file="de-xuat-ton-vinh.yml", name="Đề xuất doanh nghiệp được tôn vinh hoặc mô hình điểm",
        about_vi="Một doanh nghiệp đã được trao giải thưởng chất lượng, công nhận OCOP hay sản phẩm CNNT tiêu "
                 "biểu, hoặc được chọn làm mô hình điểm; kèm nguồn.",
        about_en="An enterprise that won a quality award, an OCOP rating or an outstanding rural product title, "
                 "or was chosen as a model site; with its source.",
        title="[Tôn vinh] ",
        intro_vi="Mỗi lần gửi một doanh nghiệp và một lần được tôn vinh, theo quyết định hoặc bài viết đã công "
                 "bố. Với mô hình điểm, người duyệt sẽ liên hệ để viết câu chuyện của mô hình.",
        intro_en="One enterprise and one honour, as a published decision or article gives it. For a model site, "
                 "the reviewer will get in touch to write its story.",
        fields=(
            Field("award", "dropdown", "Hình thức tôn vinh", "Kind of honour", "Giải thưởng hoặc danh hiệu.",
                  "The award or title.", options="awards"),
            Field("enterprise", "input", "Tên doanh nghiệp", "Enterprise",
                  "Tên đầy đủ như trong quyết định, ví dụ Công ty TNHH Đức Phong.",
                  "The full name as the decision gives it, e.g. Công ty TNHH Đức Phong."),
            Field("enterprise_en", "input", "Tên tiếng Anh của doanh nghiệp", "Enterprise's name in English",
                  "Chỉ cần khi doanh nghiệp chưa có trên trang: tên tiếng Anh doanh nghiệp dùng, hoặc bản dịch.",
                  "Needed only if the enterprise is not on the site yet: the English name it uses, or a translation.",
                  required=False),
            Field("sector", "dropdown", "Ngành", "Sector", "Chỉ cần khi doanh nghiệp chưa có trên trang.",
                  "Needed only if the enterprise is not on the site yet.", required=False, options="sectors"),
            Field("level", "dropdown", "Cấp", "Level", "Cấp trao giải hoặc công nhận (không cần với mô hình điểm).",
                  "The level of the award (not needed for a model site).", required=False, options="levels"),
            Field("year", "input", "Năm", "Year", "Năm được trao hoặc công nhận, ví dụ 2025.",
                  "The year it was awarded, e.g. 2025.", placeholder="2025"),
            Field("rating", "dropdown", "Hạng sao (OCOP)", "Star rating (OCOP)", "Chỉ với sản phẩm OCOP.",
                  "OCOP products only.", required=False, options="ratings"),
            Field("product", "input", "Sản phẩm", "Product", "Tên sản phẩm được công nhận, nếu có.",
                  "The product that was recognised, if any.", required=False),
            Field("prize", "input", "Giải, danh hiệu", "Prize or title", "Ví dụ Giải Vàng Chất lượng quốc gia.",
                  "E.g. National Quality Gold Award.", required=False),
            Field("decision", "input", "Số quyết định", "Decision number", "Ví dụ 156/QĐ-UBND, nếu có.",
                  "E.g. 156/QĐ-UBND, if any.", required=False),
            *_source_fields("quyết định hoặc bài viết", "the decision or article"),
            Field("note", "textarea", "Ghi chú", "Note", "Điều người duyệt cần biết.", "What the reviewer should know.",
                  required=False),
        )),
)}

LEVELS = (("district", "Cấp huyện"), ("provincial", "Cấp tỉnh"), ("regional", "Cấp khu vực"),
          ("national", "Cấp quốc gia"), ("international", "Quốc tế"))
MODEL_SITE = ("mo-hinh-diem", "Mô hình điểm (doanh nghiệp điển hình về năng suất)")


# --- the lists the dropdowns offer ----------------------------------------------------------------

def form_id(name: str) -> str | None:
    """A form's short id from what someone types: the id (so-lieu) or its file's name (gui-so-lieu,
    gui-so-lieu.yml, as GitHub shows it in the issue's address). None when it is neither."""
    for form in FORMS.values():
        if name in (form.id, form.file, form.file.removesuffix(".yml")):
            return form.id
    return None


def read_table(package_path: Path, name: str) -> list[dict]:
    """One table of the package as rows of text, as it is on disk."""
    import json

    descriptor = json.loads(package_path.read_text(encoding="utf-8-sig"))
    resource = next(r for r in descriptor["resources"] if r["name"] == name)
    with open(package_path.parent / resource["path"], encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def option(record: dict, words_field: str) -> str:
    """A dropdown option: the id (what the answer is read back by), then words a person knows it by."""
    words = " ".join(str(record[words_field]).split())
    if len(words) > OPTION_WORDS:
        words = words[: OPTION_WORDS - 1].rstrip(" ,;.") + "…"
    return f"{record['id']}{OPTION_SEP}{words}"


def options(package_path: Path = paths.PACKAGE) -> dict[str, list[str]]:
    """Every dropdown's options, from the data."""
    tasks = {t["id"]: int(t["number"]) for t in read_table(package_path, "tasks")}
    targets = sorted(read_table(package_path, "targets"), key=lambda t: (tasks.get(t["task_id"], 99), int(t["order"])))
    sectors = sorted(read_table(package_path, "sectors"), key=lambda s: int(s["order"]))
    awards = sorted(read_table(package_path, "awards"), key=lambda a: int(a["order"]))
    return {
        "targets": [option(t, "text_vi") for t in targets],
        "agencies": [option(a, "name_vi") for a in read_table(package_path, "agencies")],
        "awards": [option(a, "name_vi") for a in awards] + [option({"id": MODEL_SITE[0], "name_vi": MODEL_SITE[1]}, "name_vi")],
        "sectors": [option(s, "name_vi") for s in sectors],
        "levels": [option({"id": k, "name_vi": v}, "name_vi") for k, v in LEVELS],
        "ratings": ["3 sao", "4 sao", "5 sao"],
    }


def option_id(answer: str) -> str:
    """The id an option starts with (the whole answer if it has no words after it)."""
    return answer.split(OPTION_SEP, 1)[0].strip()


# --- the forms as GitHub reads them -----------------------------------------------------------------

HEADER = "# Tạo bởi `python -m scripts forms` từ data/; đừng sửa tay. Generated from data/; do not edit by hand.\n"


def _help(vi: str, en: str) -> str:
    return f"{vi}\n\n*{en}*"


def plan_words(package_path: Path) -> dict[str, str]:
    """What the forms say of the plan, from its package: {plan} and {plan_en} (its short names),
    {period} and {example} (a year within it)."""
    plan = read_table(package_path, "plan")[0]
    return {"plan": plan["short_name_vi"], "plan_en": plan["short_name_en"],
            "period": f"{plan['period_start']}–{plan['period_end']}",
            "example": str(min(int(plan["period_end"]), max(int(plan["period_start"]), 2025)))}


def form_yaml(form: Form, lists: dict[str, list[str]], words: dict[str, str]) -> str:
    def fill(text: str) -> str:
        return re.sub(r"\{(plan|plan_en|period|example)\}", lambda m: words[m.group(1)], text)

    body: list[dict] = [{"type": "markdown", "attributes": {"value": fill(_help(form.intro_vi, form.intro_en))}}]
    for f in form.fields:
        attributes: dict = {"label": f.label_vi, "description": fill(_help(f.help_vi, f.help_en))}
        if f.kind == "dropdown":
            attributes["options"] = lists[f.options]
        elif f.placeholder:
            attributes["placeholder"] = f.placeholder
        body.append({"type": f.kind, "id": f.id, "attributes": attributes, "validations": {"required": f.required}})
    document = {"name": form.name, "description": fill(f"{form.about_vi} · {form.about_en}"), "title": form.title,
                "labels": form.labels, "body": body}
    return HEADER + yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=10_000)


def render(package_path: Path = paths.PACKAGE) -> dict[str, str]:
    """{file name: text} of every form, as `write` puts them in .github/ISSUE_TEMPLATE/."""
    lists, words = options(package_path), plan_words(package_path)
    return {form.file: form_yaml(form, lists, words) for form in FORMS.values()}


def write(folder: Path | None = None, package_path: Path = paths.PACKAGE) -> list[str]:
    """Write the forms (into .github/ISSUE_TEMPLATE/ unless told); return the names of the files that changed."""
    folder = folder or paths.ISSUE_TEMPLATES
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in render(package_path).items():
        target = folder / name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            changed.append(name)
    return changed


# --- links that open a form filled in --------------------------------------------------------------

def form_url(form_id: str, **fields) -> str:
    """The address of a new issue with this form, its fields filled in (GitHub reads a query
    parameter named after each field's id). A dropdown takes the record (a target, an agency), whose
    option is written as the form writes it. Empty without settings.REPO_URL: never a made-up address."""
    if not settings.REPO_URL:
        return ""
    form = FORMS[form_id]
    query = [("template", form.file)]
    for name, value in fields.items():
        field = form.field(name)
        if field.kind == "dropdown" and isinstance(value, dict):
            value = option(value, "name_vi" if "name_vi" in value else "text_vi")
        query.append((name, str(value)))
    return f"{settings.REPO_URL}/issues/new?{urllib.parse.urlencode(query, quote_via=urllib.parse.quote)}"
