"""Status of a target from its observations: achieved, on_track, behind or no_data, and once its
deadline year has ended, overdue (nothing published) or not_achieved (instead of behind).

One rule per kind of target, each simple enough to redo by hand from the CSV (the methodology
page explains them with worked examples). A status is never guessed: when the method needs more
observations than there are, the answer is no_data, with the reason.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# In the order a reader should meet them: what is late first.
STATUSES = ("overdue", "not_achieved", "behind", "no_data", "on_track", "achieved")


@dataclass(frozen=True)
class Assessment:
    status: str                 # one of STATUSES
    reason: str                 # a code; site/labels.yml words it as reason_<code>
    facts: dict = field(default_factory=dict)   # the numbers the reason quotes


def assess(target: dict, observations: list[dict], as_of_year: int) -> Assessment:
    """`observations`: this target's rows ({year, value}), any order."""
    points = sorted((int(o["year"]), float(o["value"])) for o in observations)
    rule = RULES[target["kind"]]
    return _after_deadline(target, points, as_of_year, rule(target, points, as_of_year))


def _after_deadline(target, points, as_of_year, assessment: Assessment) -> Assessment:
    """A deadline year that has ended turns silence into overdue and behind into not achieved. The
    deadline is the end of its year: on 31 December the target is still within its period."""
    deadline = int(target["deadline_year"])
    if as_of_year <= deadline:
        return assessment
    if not points:
        return Assessment("overdue", "overdue_nothing_published", {"deadline": deadline})
    if assessment.status == "behind":
        return Assessment("not_achieved", assessment.reason, assessment.facts)
    return assessment


def _count(target, points, as_of_year):
    goal, deadline = float(target["target_value"]), int(target["deadline_year"])
    better = _better(target)
    if not points:
        return Assessment("no_data", "no_observations")
    last_year, last = points[-1]
    if better(last, goal) or last == goal:
        return Assessment("achieved", "met", {"year": last_year, "value": last, "goal": goal})
    if as_of_year > deadline:
        return Assessment("behind", "deadline_passed", {"year": last_year, "value": last, "goal": goal, "deadline": deadline})
    if len(points) < 2:
        return Assessment("no_data", "needs_two_points", {"year": last_year, "value": last})
    first_year, first = points[0]
    slope = (last - first) / (last_year - first_year)
    projected = last + slope * (deadline - last_year)
    facts = {"first_year": first_year, "first": first, "year": last_year, "value": last,
             "projected": round(projected, 1), "goal": goal, "deadline": deadline}
    if better(projected, goal) or projected == goal:
        return Assessment("on_track", "projected_to_meet", facts)
    return Assessment("behind", "projected_short", facts)


def _growth_band(target, points, as_of_year):
    low, high, deadline = float(target["target_value"]), float(target["target_max"]), int(target["deadline_year"])
    if not points:
        return Assessment("no_data", "no_observations")
    if len(points) < 2:
        return Assessment("no_data", "needs_two_points", {"year": points[0][0], "value": points[0][1]})
    (first_year, first), (last_year, last) = points[0], points[-1]
    if first <= 0:
        return Assessment("no_data", "zero_start", {"first_year": first_year})
    rate = ((last / first) ** (1 / (last_year - first_year)) - 1) * 100
    facts = {"first_year": first_year, "first": first, "year": last_year, "value": last,
             "rate": round(rate, 1), "low": low, "high": high}
    if rate >= low:
        done = as_of_year > deadline and last_year >= deadline
        return Assessment("achieved" if done else "on_track", "growth_in_band" if rate <= high else "growth_above_band", facts)
    return Assessment("behind", "growth_below_band", facts)


def _change_vs_period(target, points, as_of_year):
    """Yearly counts in the plan's period, summed, against the baseline period's total plus N %."""
    if target.get("baseline_value") is None:
        return Assessment("no_data", "no_baseline", {"baseline_period": target["baseline_period"]})
    if not points:
        return Assessment("no_data", "no_observations")
    start, deadline = _period_start(target), int(target["deadline_year"])
    required = float(target["baseline_value"]) * (1 + float(target["target_value"]) / 100)
    total = sum(v for y, v in points if start <= y <= deadline)
    years = sorted({y for y, _ in points if start <= y <= deadline})
    facts = {"total": total, "required": round(required, 1), "baseline": float(target["baseline_value"]),
             "from": start, "year": years[-1] if years else None, "deadline": deadline}
    if total >= required:
        return Assessment("achieved", "met_total", facts)
    if as_of_year > deadline:
        return Assessment("behind", "deadline_passed_total", facts)
    if len(years) < 2:
        return Assessment("no_data", "needs_two_points", {"year": years[-1] if years else None, "value": total})
    pace = total / len(years) * (deadline - start + 1)
    facts["pace"] = round(pace, 1)
    if pace >= required:
        return Assessment("on_track", "pace_enough", facts)
    return Assessment("behind", "pace_short", facts)


def _milestone(target, points, as_of_year):
    done = [y for y, v in points if v >= 1]
    if done:
        return Assessment("achieved", "milestone_done", {"year": done[0]})
    if points and as_of_year > int(target["deadline_year"]):
        return Assessment("behind", "milestone_not_done", {"deadline": int(target["deadline_year"])})
    return Assessment("no_data", "no_observations")


def _better(target):
    direction = target["direction"]
    if direction == "increase":
        return lambda a, b: a > b
    if direction == "decrease":
        return lambda a, b: a < b
    raise ValueError(f"Target {target['id']}: a count needs direction increase or decrease, not {direction!r}")


def _period_start(target) -> int:
    # the plan's period starts the year after the baseline period ends (2011-2020 -> 2021)
    return int(str(target["baseline_period"]).split("-")[1]) + 1


RULES = {"count": _count, "growth_band": _growth_band, "change_vs_period": _change_vs_period, "milestone": _milestone}


def summarise(assessments: dict[str, Assessment], with_data: set[str]) -> dict[str, int]:
    """Counts by status; `with_data`: the targets that have at least one published value."""
    counts = {s: 0 for s in STATUSES}
    for a in assessments.values():
        counts[a.status] += 1
    counts["with_data"] = len(with_data & set(assessments))
    counts["total"] = len(assessments)
    return counts
