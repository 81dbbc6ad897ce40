"""Join the frames into the records that pages are made of: one dict per task, agency, target."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import paths
from ..base.text import format_date
from . import casestudies, clock
from .enterprises import build_enterprise_model
from .frames import records
from .load import load
from .progress import assess, summarise


def build_model(frames: dict[str, pd.DataFrame], meta: dict, data_dir=None, as_of: dt.date | None = None,
                national: dict[str, pd.DataFrame] | None = None) -> dict:
    """`meta`: the package descriptor. `as_of`: the day statuses and deadlines are judged on (the build
    gives it: today in Viet Nam, or --as-of); without it, the data's own last_updated date.
    `data_dir`: the package's folder, where the case studies are (default data/). `national`: the
    frames of the national programmes' package (default: read from national/)."""
    as_of = as_of or clock.data_date(meta)
    plan = records(frames["plan"])[0]
    national_targets = _national(national if national is not None else load(paths.NATIONAL_PACKAGE))
    sources = {s["id"]: s for s in records(frames["sources"])}
    agencies = {a["id"]: {**a, "roles": [], "duty_items": [], "predecessors": []} for a in records(frames["agencies"])}
    tasks = {t["id"]: {**t, "lead": [], "coordinating": [], "targets": []} for t in records(frames["tasks"])}

    # Task roles, in the plan's order
    roles = frames["task_agencies"].sort_values(["task_id", "role", "order"])
    for link in records(roles):
        task, agency = tasks[link["task_id"]], agencies[link["agency_id"]]
        task[link["role"]].append(agency)
        agency["roles"].append({"task": task, "role": link["role"]})
    for agency in agencies.values():
        agency["roles"].sort(key=lambda r: (r["task"]["number"], r["role"]))

    # Targets, their published values and their status
    observations: dict[str, list[dict]] = {}
    for o in records(frames["observations"].sort_values(["target_id", "year"])):
        observations.setdefault(o["target_id"], []).append({**o, "source": sources[o["source_id"]]})
    apart = []          # targets the plan states in its objectives, outside any task
    for target in records(frames["targets"].sort_values(["order"], kind="stable")):
        task = tasks.get(target["task_id"]) if target["task_id"] else None
        target.update(task=task, observations=observations.get(target["id"], []),
                      national_target=national_targets.get(target["national_target_id"]))
        target["assessment"] = assess(target, target["observations"], as_of.year)
        (task["targets"] if task else apart).append(target)

    # Section IV: items, the agencies each addresses, their clauses
    items = {i["item"]: {**i, "agencies": [], "duties": []} for i in records(frames["duty_items"])}
    for duty in records(frames["duties"].sort_values(["item", "order"])):
        items[duty["item"]]["duties"].append(duty)
    for link in records(frames["duty_agencies"].sort_values(["item", "order"])):
        items[link["item"]]["agencies"].append(agencies[link["agency_id"]])
        agencies[link["agency_id"]]["duty_items"].append(items[link["item"]])

    # The 2025 reorganisation, both ways
    for agency in agencies.values():
        agency["successor"] = agencies.get(agency["succeeded_by"]) if agency["succeeded_by"] else None
        agency["succession_source"] = sources.get(agency["succession_source_id"])
        agency["parent"] = agencies.get(agency["parent_id"]) if agency["parent_id"] else None
        if agency["successor"]:
            agency["successor"]["predecessors"].append(agency)

    task_list = sorted(tasks.values(), key=lambda t: t["number"])
    targets = apart + [t for task in task_list for t in task["targets"]]
    for agency in agencies.values():
        agency["targets"] = [t for r in agency["roles"] if r["role"] == "lead" for t in r["task"]["targets"]]
    model = {
        "as_of": as_of,                         # the day states are judged on
        "data_date": clock.data_date(meta),     # the day the data was last updated
        "changelog": records(frames["changelog"].sort_values(["date", "id"], ascending=[False, True])),
        "version": meta.get("version"),
        "summary": summarise({t["id"]: t["assessment"] for t in targets}, {t["id"] for t in targets if t["observations"]}),
        "context": _context(frames, sources, targets),
        "calendar": _calendar(items, frames, sources, plan, as_of),
        "plan": {**plan, "issuer": agencies[plan["issuer_id"]], "source": sources[plan["source_id"]]},
        "words": plan_words(meta, plan, agencies[plan["issuer_id"]]),
        "package_name": meta["name"],
        "colors": meta["site"]["colors"],
        "purposes": records(frames["purposes"]),
        "targets_apart": apart,
        "gaps": _gaps(frames, sources),
        "national": _national_served(targets, national_targets),
        "legal_basis": [{**d, "source": sources.get(d["source_id"])} for d in records(frames["legal_basis"].sort_values("date"))],
        "funding_sources": records(frames["funding_sources"].sort_values("number")),
        "tasks": task_list,
        "targets": targets,
        "agencies": list(agencies.values()),
        "duty_items": [items[k] for k in sorted(items)],
        "sources": sources,
    }
    model["firms"] = build_enterprise_model(frames, agencies, tasks,
                                            case_studies=casestudies.load(data_dir) if data_dir else casestudies.load())
    model["report_matrix"] = report_matrix(model["calendar"])
    model["searches"] = _searches(frames, targets, model["calendar"], as_of)
    model["standing"] = _standing(targets, model["calendar"], model["firms"], as_of)
    for agency in agencies.values():
        agency["owes"] = _owes(agency, model["calendar"])
    return model


def plan_words(meta: dict, plan: dict, issuer: dict) -> dict[str, dict[str, str]]:
    """What names this plan and its site, per language: put in place of {plan}, {province}, {issuer},
    {period}, {plan_date}, {site_name} and the like in the site's own words (site/labels*.yml,
    site/content/), so that no file of the engine names a plan."""
    period = f"{plan['period_start']}–{plan['period_end']}"
    return {lang: {"plan": plan[f"short_name_{lang}"], "province": plan[f"province_{lang}"], "issuer": issuer[f"name_{lang}"],
                   "period": period, "plan_number": plan["number"], "plan_date": format_date(plan["issued_date"], lang),
                   "plan_title": plan[f"title_{lang}"], "package": meta["name"],
                   "site_name": meta["site"][f"name_{lang}"], "site_description": meta["site"][f"description_{lang}"]}
            for lang in ("vi", "en")}


def _national(frames: dict[str, pd.DataFrame]) -> dict[str, dict]:
    """The national programmes' targets by id, each with its programme and source."""
    sources = {s["id"]: s for s in records(frames["sources"])}
    programmes = {p["id"]: {**p, "source": sources[p["source_id"]]} for p in records(frames["programmes"])}
    return {t["id"]: {**t, "programme": programmes[t["programme_id"]], "source": sources[t["source_id"]]}
            for t in records(frames["programme_targets"].sort_values("order"))}


def _national_served(targets: list[dict], national_targets: dict[str, dict]) -> list[dict]:
    """The national targets this plan's targets serve, in the programmes' order, each with those targets."""
    served: dict[str, dict] = {}
    for t in targets:
        if t["national_target"]:
            served.setdefault(t["national_target"]["id"], {**t["national_target"], "plan_targets": []})["plan_targets"].append(t)
    return [served[k] for k in national_targets if k in served]


def _searches(frames, targets: list[dict], calendar: list[dict], as_of: dt.date) -> dict:
    """Where the plan's own figures were looked for: for each target and each year whose reports are
    due (or were looked for), its searches, newest first, and what they found."""
    rows = records(frames["searches"].sort_values(["searched_on", "id"], ascending=[False, True])) if "searches" in frames else []
    by_target = {t["id"]: {"target": t, "searches": []} for t in targets}
    due_years = sorted({r["year"] for r in calendar if r["due"] <= as_of})
    by_year: dict[int, list[dict]] = {year: [] for year in due_years}
    other = []
    for row in rows:
        if row["subject"] == "target" and row["target_id"] in by_target:
            by_target[row["target_id"]]["searches"].append(row)
        elif row["subject"] == "report" and row["report_year"]:
            by_year.setdefault(row["report_year"], []).append(row)
        else:
            other.append(row)
    for t in targets:
        t["searches"] = by_target[t["id"]]["searches"]
    for_the_plan = [r for r in rows if r not in other]        # on the plan's own targets and reports
    return {"targets": list(by_target.values()), "reports": sorted(by_year.items()), "other": other, "count": len(for_the_plan),
            "last": for_the_plan[0]["searched_on"] if for_the_plan else None}


def _gaps(frames, sources) -> dict[str, list[dict]]:
    """What the text the package was made from leaves out, by the part of the plan it concerns."""
    out: dict[str, list[dict]] = {}
    for g in records(frames["gaps"]) if "gaps" in frames else []:
        out.setdefault(g["part"], []).append({**g, "source": sources[g["source_id"]]})
    return out


def _context(frames, sources, targets: list[dict]) -> list[dict]:
    """Context indicators in their groups, each with its published values and the targets it bears on
    (context_links); each target gets its context as `context`. Context never touches a status: the
    assessment was made from the target's own observations before this runs."""
    values: dict[str, list[dict]] = {}
    for o in records(frames["context_observations"].sort_values(["indicator_id", "year"])):
        values.setdefault(o["indicator_id"], []).append({**o, "source": sources[o["source_id"]]})
    groups = {g["id"]: {**g, "indicators": []} for g in records(frames["context_groups"].sort_values("order"))}
    indicators = {}
    for ind in records(frames["context_indicators"].sort_values("order")):
        ind.update(observations=values.get(ind["id"], []), goal_source=sources.get(ind["goal_source_id"]), targets=[])
        groups[ind["group"]]["indicators"].append(ind)
        indicators[ind["id"]] = ind
    by_id = {t["id"]: t for t in targets}
    for t in targets:
        t["context"] = []
    for link in records(frames["context_links"]):
        target, indicator = by_id[link["target_id"]], indicators[link["indicator_id"]]
        target["context"].append({**link, "indicator": indicator})
        indicator["targets"].append(target)
    return [g for g in groups.values() if g["indicators"]]


DUE_SOON_DAYS = 30     # a report due within this many days is "due in N days", not just "not yet due"


def report_state(due: dt.date, published: bool, as_of: dt.date) -> str:
    """published; overdue once its day has passed unfound; due_today; due_soon within
    DUE_SOON_DAYS; upcoming otherwise. Judged on the build's as-of date, like the targets."""
    if published:
        return "published"
    if due < as_of:
        return "overdue"
    if due == as_of:
        return "due_today"
    return "due_soon" if (due - as_of).days <= DUE_SOON_DAYS else "upcoming"


def _calendar(items, frames, sources, plan, as_of) -> list[dict]:
    """Every annual report section IV asks for, year by year, and whether it has been found published."""
    published = {(r["agency_id"], r["year"]): {**r, "source": sources[r["source_id"]]} for r in records(frames["reports"])}
    rows = []
    for item in items.values():
        for duty in item["duties"]:
            if not duty["report_due"]:
                continue
            month, day = (int(x) for x in duty["report_due"].removeprefix("--").split("-"))
            for year in range(plan["period_start"], plan["period_end"] + 1):
                due = dt.date(year, month, day)
                for agency in item["agencies"]:
                    report = published.get((agency["id"], year))
                    rows.append({"year": year, "due": due, "agency": agency, "duty": duty, "report": report,
                                 "state": report_state(due, bool(report), as_of), "days_left": (due - as_of).days})
    return sorted(rows, key=lambda r: (r["year"], r["duty"]["item"], r["agency"]["name_vi"]))


def _standing(targets: list[dict], calendar: list[dict], firms: dict, as_of: dt.date) -> dict:
    """Where the plan stands, in the few numbers the home page leads with."""
    overdue = [t for t in targets if t["assessment"].status == "overdue"]
    open_by_year: dict[int, int] = {}
    for t in targets:
        if t["assessment"].status != "overdue":
            open_by_year[t["deadline_year"]] = open_by_year.get(t["deadline_year"], 0) + 1
    due = [r for r in calendar if r["due"] <= as_of or r["state"] == "published"]
    ahead = sorted({r["due"] for r in calendar if r["due"] >= as_of})
    return {
        "targets": len(targets),
        "with_data": sum(1 for t in targets if t["observations"]),
        "overdue": overdue,
        "overdue_years": sorted({t["deadline_year"] for t in overdue}),
        "open_by_year": sorted(open_by_year.items()),
        "reports_due": len(due),
        "reports_published": sum(1 for r in due if r["state"] == "published"),
        "reports_overdue": sum(1 for r in calendar if r["state"] == "overdue"),
        "next_due": ahead[0] if ahead else None,
        "next_due_days": (ahead[0] - as_of).days if ahead else None,
        "next_due_state": report_state(ahead[0], False, as_of) if ahead else None,
        "next_due_count": sum(1 for r in calendar if ahead and r["due"] == ahead[0] and r["state"] != "published"),
        "enterprises_honoured": len({h["enterprise"]["id"] for h in firms["honours"]}),   # not those only in a model site
        "honours": len(firms["honours"]),
        "rounds": len(firms["rounds"]),
        "model_sites": len(firms["model_sites"]),
    }


def report_matrix(calendar: list[dict]) -> dict:
    """The calendar as one table: agencies down (in the plan's order), years across."""
    years = sorted({r["year"] for r in calendar})
    rows: dict[str, dict] = {}
    for r in sorted(calendar, key=lambda r: (r["duty"]["item"], r["agency"]["name_vi"], r["year"])):
        rows.setdefault(r["agency"]["id"], {"agency": r["agency"], "cells": {}})["cells"][r["year"]] = r
    return {"years": years, "rows": [{**row, "cells": [row["cells"].get(y) for y in years]} for row in rows.values()]}


def _owes(agency: dict, calendar: list[dict]) -> dict:
    """What an agency owes now: the targets it leads that are overdue or not achieved, its reports
    not found, and the next one due."""
    mine = [r for r in calendar if r["agency"]["id"] == agency["id"]]
    upcoming = [r for r in mine if r["state"] in ("due_today", "due_soon", "upcoming")]
    return {"targets": [t for t in agency["targets"] if t["assessment"].status in ("overdue", "not_achieved")],
            "reports": [r for r in mine if r["state"] == "overdue"],
            "next": upcoming[0] if upcoming else None,
            "reports_total": len(mine)}
