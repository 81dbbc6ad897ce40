"""What the plan offers enterprises, and who has been honoured: the records of the enterprise pages.

`build_enterprise_model` joins the honours, award rounds, support programmes and model sites with
the agencies and tasks of the main model. `rules` are the checks across these tables that a Table
Schema cannot express. `chart_series` gives the data of the two charts of the honours page.
"""
from __future__ import annotations

from . import casestudies
from .casestudies import proposed_problem
from .frames import records
from .problems import Problem, problem

RATINGS = (3, 4, 5)
LEVELS = ("district", "provincial", "regional", "national")
STATUSES = ("new", "upgraded", "re_rated")


def build_enterprise_model(frames: dict, agencies_by_id: dict, tasks_by_id: dict,
                           case_studies: list[casestudies.CaseStudy] | None = None) -> dict:
    """`frames` as load() returns them; `agencies_by_id` and `tasks_by_id` the joined records of the main
    model. `case_studies` defaults to the sound ones under data/case-studies/."""
    if case_studies is None:
        case_studies = casestudies.load()

    # 1. Lookups
    sources = {s["id"]: s for s in records(frames["sources"])}
    duties = {d["id"]: d for d in records(frames["duties"])}
    targets = {t["id"]: t for task in tasks_by_id.values() for t in task["targets"]}
    sectors = {s["id"]: {**s, "enterprises": [], "honours": [], "programmes": [], "model_sites": []}
               for s in records(frames["sectors"].sort_values("order"))}
    needs = {n["id"]: {**n, "programmes": [], "tools": []} for n in records(frames["support_needs"].sort_values("order"))}
    awards = {a["id"]: {**a, "honours": [], "rounds": []} for a in records(frames["awards"].sort_values("order"))}
    tools = {t["id"]: {**t, "need": needs[t["need_id"]], "model_sites": []} for t in records(frames["tools"].sort_values("order"))}
    for tool in tools.values():
        tool["need"]["tools"].append(tool)

    # 2. Enterprises and their honours, newest first within each award
    enterprises = {e["id"]: {**e, "sector": sectors[e["sector_id"]], "source": sources[e["source_id"]], "honours": [], "model_sites": []}
                   for e in records(frames["enterprises"])}
    rounds = {r["id"]: _round(r, awards, sources) for r in records(frames["award_rounds"].sort_values(["award", "kind", "year", "id"]))}
    for count in records(frames["award_round_counts"]):
        rounds[count["round_id"]]["counts"].append(count)
    for r in rounds.values():
        r["table"] = _round_table(r["counts"])
        r["award"]["rounds"].append(r)

    honours = []
    for h in records(frames["honours"]):
        enterprise = enterprises[h["enterprise_id"]]
        honour = {**h, "enterprise": enterprise, "award_record": awards[h["award"]], "sector": enterprise["sector"],
                  "source": sources[h["source_id"]], "note_source": sources.get(h["note_source_id"]),
                  "round": rounds.get(h["round_id"])}
        honours.append(honour)
    honours.sort(key=lambda h: (h["award_record"]["order"], -h["year"], h["enterprise"]["name_vi"]))
    for h in honours:
        h["enterprise"]["honours"].append(h)
        h["award_record"]["honours"].append(h)
        h["sector"]["honours"].append(h)
    enterprise_list = sorted(enterprises.values(), key=lambda e: e["name_vi"])
    for e in enterprise_list:
        e["sector"]["enterprises"].append(e)
        e["latest_year"] = max((h["year"] for h in e["honours"]), default=0)
        e["sources"] = _unique([e["source"]] + [s for h in e["honours"] for s in (h["source"], h["note_source"]) if s])

    # 3. Support programmes, with the agency to ask and the agencies that lead the same task
    sectors_of: dict[str, list[str]] = {}
    for link in records(frames["programme_sectors"]):
        sectors_of.setdefault(link["programme_id"], []).append(link["sector_id"])
    programmes = []
    for p in records(frames["support_programmes"].sort_values("order")):
        task = tasks_by_id[p["task_id"]]
        contact = agencies_by_id[p["contact_agency_id"]]
        programme = {**p, "need": needs[p["need_id"]], "task": task, "contact_agency": contact,
                     "other_leads": [a for a in task["lead"] if a["id"] != contact["id"]],
                     "contact_units": [a for a in agencies_by_id.values() if a.get("parent_id") == contact["id"]],
                     "basis_duty": duties.get(p["basis_duty_id"]), "target": targets.get(p["target_id"]),
                     "source": sources[p["source_id"]], "contact_source": sources.get(p["contact_source_id"]),
                     "sectors": [] if p["all_sectors"] else [sectors[s] for s in sorted(sectors_of.get(p["id"], []), key=lambda s: sectors[s]["order"])]}
        programme["sector_ids"] = [s["id"] for s in programme["sectors"]]
        programmes.append(programme)
        programme["need"]["programmes"].append(programme)
        for sector in sectors.values():
            if p["all_sectors"] or sector["id"] in programme["sector_ids"]:
                sector["programmes"].append(programme)

    # 4. Model sites: the listing, each with its case study
    studies = {s.id: s for s in case_studies}
    model_sites = []
    for row in records(frames["model_sites"]):
        study = studies.get(row["id"])
        if study is None:          # listed but unsound: validation reports it, the page leaves it out
            continue
        site = {**row, **study.meta, "id": row["id"], "enterprise": enterprises[row["enterprise_id"]],
                "sector": sectors[row["sector_id"]], "source": sources[row["source_id"]],
                "tools": [tools[t] for t in study.meta["tools"]],
                "results": [{**r, "source": sources.get(r.get("source_id"))} for r in study.meta["results"]],
                "story_vi": casestudies.safe_markdown(study.body_vi), "story_en": casestudies.safe_markdown(study.body_en)}
        site["tool_ids"] = [t["id"] for t in site["tools"]]
        model_sites.append(site)
        site["enterprise"]["model_sites"].append(site)
        site["sector"]["model_sites"].append(site)
        for tool in site["tools"]:
            tool["model_sites"].append(site)

    model_site_programme = next((p for p in programmes if p["need_id"] == "mo-hinh-diem"), None)
    return {
        "sectors": list(sectors.values()),
        "needs": list(needs.values()),
        "awards": list(awards.values()),
        "tools": list(tools.values()),
        "enterprises": enterprise_list,
        "honours": honours,
        "rounds": list(rounds.values()),
        "programmes": programmes,
        "model_sites": model_sites,
        "model_site_programme": model_site_programme,
        "years": sorted({h["year"] for h in honours}, reverse=True),
        "ratings": sorted({h["rating"] for h in honours if h["rating"] is not None}, reverse=True),
    }


def _round(r: dict, awards: dict, sources: dict) -> dict:
    return {**r, "award": awards[r["award"]], "award_id": r["award"], "source": sources[r["source_id"]], "counts": []}


def _round_table(counts: list[dict]) -> dict:
    """{measure: {key: cell}}, key = the rating, level or prize a count is for, or "all".
    A cell sums its counts (a breakdown by status is kept in `parts`); a key absent = not published."""
    table: dict[str, dict] = {}
    for c in counts:
        key = c["rating"] or c["level"] or c["prize"] or "all"
        cell = table.setdefault(c["measure"], {}).setdefault(key, {"count": 0, "qualifier": "exact", "parts": []})
        cell["count"] += c["count"]
        if c["qualifier"] == "more_than":
            cell["qualifier"] = "more_than"
        if c["status"]:
            cell["parts"].append({"status": c["status"], "count": c["count"]})
    for cells in table.values():
        for cell in cells.values():
            cell["parts"].sort(key=lambda part: STATUSES.index(part["status"]))
    return table


def _unique(items: list[dict]) -> list[dict]:
    seen, out = set(), []
    for item in items:
        if item["id"] not in seen:
            seen.add(item["id"])
            out.append(item)
    return out


def chart_series(firms: dict) -> dict[str, list[dict]]:
    """The data of the honours page's two charts, one row per bar segment.
    ocop_by_round: OCOP products recognised in each published round, by star rating (only the
    ratings a round published: a missing rating is unknown, not zero). cnnt_by_level: outstanding
    rural industrial products by level, for each published round or running total."""
    ocop, cnnt = [], []
    for r in firms["rounds"]:
        products = r["table"].get("products", {})
        if r["award_id"] == "ocop" and r["kind"] == "round":
            for rating in RATINGS:
                if rating in products:
                    ocop.append({"round_id": r["id"], "year": r["year"], "label_vi": r["label_vi"], "label_en": r["label_en"],
                                 "rating": rating, "count": products[rating]["count"]})
        if r["award_id"] == "cnnt":
            for order, level in enumerate(LEVELS, start=1):
                if level in products:
                    cnnt.append({"round_id": r["id"], "year": r["year"], "label_vi": r["label_vi"], "label_en": r["label_en"],
                                 "level": level, "level_order": order, "count": products[level]["count"]})
    ocop.sort(key=lambda row: (row["year"], row["round_id"], row["rating"]))
    cnnt.sort(key=lambda row: (row["year"], row["round_id"], row["level_order"]))
    return {"ocop_by_round": ocop, "cnnt_by_level": cnnt}


# --- rules across the tables ------------------------------------------------------------------------

def rules(rows: dict[str, list[tuple[int, dict]]], path: dict[str, str]) -> list[Problem]:
    """Checks a Table Schema cannot make, on the raw rows as validate.py reads them:
    {resource: [(line, row)]} and {resource: file shown to people}."""
    out: list[Problem] = []
    rated = {r["id"]: r["rated"] == "true" for _, r in rows.get("awards", [])}
    round_award = {r["id"]: r["award"] for _, r in rows.get("award_rounds", [])}
    for line, h in rows.get("honours", []):
        award, rating = h.get("award"), h.get("rating")
        if award in rated and rated[award] and not rating:
            out.append(proposed_problem("rating-mismatch", path["honours"], line, "rating", cell="",
                                        detail=f"giải {award} cần hạng sao 3–5 / award {award} needs a star rating 3–5"))
        if award in rated and not rated[award] and rating:
            out.append(proposed_problem("rating-mismatch", path["honours"], line, "rating", cell=rating,
                                        detail=f"giải {award} không xếp hạng sao; để trống / award {award} has no star rating; leave it empty"))
        if h.get("round_id") and round_award.get(h["round_id"]) not in (None, award):
            out.append(proposed_problem("invalid-field", path["honours"], line, "round_id", cell=h["round_id"],
                                        detail=f"đợt này thuộc giải {round_award[h['round_id']]} / this round belongs to award {round_award[h['round_id']]}"))
        if h.get("note_source_id") and not (h.get("note_vi") and h.get("note_en")):
            out.append(problem("required", path["honours"], line, "note_vi" if not h.get("note_vi") else "note_en"))
    seen: dict[tuple, int] = {}
    for line, c in rows.get("award_round_counts", []):
        key = tuple(c.get(k) for k in ("round_id", "measure", "rating", "level", "prize", "status"))
        if key in seen:
            out.append(problem("duplicate-key", path["award_round_counts"], line, "round_id, measure, rating, level, prize, status",
                               cell=", ".join(v or "—" for v in key)))
        seen.setdefault(key, line)
        if c.get("rating") and round_award.get(c.get("round_id")) not in (None, "ocop"):
            out.append(proposed_problem("rating-mismatch", path["award_round_counts"], line, "rating", cell=c["rating"],
                                        detail="chỉ OCOP xếp hạng sao / only OCOP has star ratings"))
    for line, e in rows.get("enterprises", []):
        if e.get("id") == "index":     # ton-vinh/<id>.html is an enterprise's address; ton-vinh/index.html is the honours page
            out.append(proposed_problem("invalid-field", path["enterprises"], line, "id", cell="index",
                                        detail="mã này trùng trang danh sách; chọn mã khác / this id is taken by the list page; choose another"))
    for line, p in rows.get("support_programmes", []):
        listed = any(link.get("programme_id") == p.get("id") for _, link in rows.get("programme_sectors", []))
        if p.get("all_sectors") == "false" and not listed:
            out.append(proposed_problem("invalid-field", path["support_programmes"], line, "all_sectors", cell="false",
                                        detail="thêm các ngành vào data/programme_sectors.csv / add its sectors to data/programme_sectors.csv"))
        if p.get("all_sectors") == "true" and listed:
            out.append(proposed_problem("invalid-field", path["support_programmes"], line, "all_sectors", cell="true",
                                        detail="dành cho mọi ngành nhưng có dòng trong data/programme_sectors.csv / for every sector, yet listed in data/programme_sectors.csv"))
    return out

