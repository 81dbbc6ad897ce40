"""Join the frames into the records that pages are made of: one dict per task, agency, target."""
from __future__ import annotations

import pandas as pd


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain dicts, with pandas' missing values turned into None."""
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _plain(value):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    return value


def build_model(frames: dict[str, pd.DataFrame]) -> dict:
    plan = records(frames["plan"])[0]
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

    for target in records(frames["targets"].sort_values(["task_id", "order"])):
        tasks[target["task_id"]]["targets"].append(target)

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
    return {
        "plan": {**plan, "issuer": agencies[plan["issuer_id"]], "source": sources[plan["source_id"]]},
        "purposes": records(frames["purposes"]),
        "legal_basis": [{**d, "source": sources.get(d["source_id"])} for d in records(frames["legal_basis"].sort_values("date"))],
        "funding_sources": records(frames["funding_sources"].sort_values("number")),
        "tasks": task_list,
        "targets": [t for task in task_list for t in task["targets"]],
        "agencies": list(agencies.values()),
        "duty_items": [items[k] for k in sorted(items)],
        "sources": sources,
    }
