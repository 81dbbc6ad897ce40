"""Every kind of target, every edge: no data, one point, already met, negative trend, deadline passed."""
import pytest

from scripts.data.progress import assess, summarise

COUNT = {"id": "t", "kind": "count", "target_value": 10, "deadline_year": 2030, "direction": "increase"}
BAND = {"id": "g", "kind": "growth_band", "target_value": 10, "target_max": 15, "deadline_year": 2030, "direction": "increase"}
CHANGE = {"id": "c", "kind": "change_vs_period", "target_value": 10, "baseline_period": "2011-2020",
          "baseline_value": 100, "deadline_year": 2030, "direction": "increase"}
MILESTONE = {"id": "m", "kind": "milestone", "deadline_year": 2030, "direction": "not_applicable"}


def obs(*pairs):
    return [{"year": y, "value": v} for y, v in pairs]


def status(target, observations, as_of=2026):
    a = assess(target, observations, as_of)
    return a.status, a.reason


@pytest.mark.parametrize("observations, as_of, expected", [
    (obs(), 2026, ("no_data", "no_observations")),
    (obs((2023, 4)), 2026, ("no_data", "needs_two_points")),              # one point cannot be projected
    (obs((2023, 12)), 2026, ("achieved", "met")),                         # one point, already met
    (obs((2022, 2), (2024, 6)), 2026, ("on_track", "projected_to_meet")),  # +2 a year reaches 18 by 2030
    (obs((2022, 2), (2024, 3)), 2026, ("behind", "projected_short")),     # +0.5 a year reaches 6
    (obs((2022, 6), (2024, 4)), 2026, ("behind", "projected_short")),     # negative trend
    (obs((2022, 2), (2029, 9)), 2031, ("not_achieved", "deadline_passed")),  # deadline passed, not met
    (obs((2022, 2), (2030, 10)), 2031, ("achieved", "met")),              # exactly the target counts
])
def test_count(observations, as_of, expected):
    assert status(COUNT, observations, as_of) == expected


def test_count_projection_is_reproducible_by_hand():
    a = assess(COUNT, obs((2022, 2), (2024, 6)), 2026)
    assert a.facts == {"first_year": 2022, "first": 2.0, "year": 2024, "value": 6.0, "projected": 18.0,
                       "goal": 10.0, "deadline": 2030}


def test_count_going_down():
    down = {**COUNT, "target_value": 5, "direction": "decrease"}
    assert status(down, obs((2022, 9), (2024, 7))) == ("on_track", "projected_to_meet")
    assert status(down, obs((2022, 9), (2024, 9))) == ("behind", "projected_short")
    assert status(down, obs((2024, 4))) == ("achieved", "met")


def test_count_without_a_direction_is_refused():
    with pytest.raises(ValueError, match="direction"):
        assess({**COUNT, "direction": "not_applicable"}, obs((2022, 2)), 2026)


@pytest.mark.parametrize("observations, as_of, expected", [
    (obs(), 2026, ("no_data", "no_observations")),
    (obs((2022, 100)), 2026, ("no_data", "needs_two_points")),
    (obs((2022, 100), (2024, 121)), 2026, ("on_track", "growth_in_band")),       # 10 % a year
    (obs((2022, 100), (2024, 144)), 2026, ("on_track", "growth_above_band")),    # 20 % a year
    (obs((2022, 100), (2024, 110)), 2026, ("behind", "growth_below_band")),      # 4.9 % a year
    (obs((2022, 100), (2024, 90)), 2026, ("behind", "growth_below_band")),       # falling
    (obs((2022, 0), (2024, 90)), 2026, ("no_data", "zero_start")),
    (obs((2021, 100), (2030, 250)), 2031, ("achieved", "growth_in_band")),       # whole period done
])
def test_growth_band(observations, as_of, expected):
    assert status(BAND, observations, as_of) == expected


def test_growth_rate_is_compound_and_rounded():
    assert assess(BAND, obs((2022, 100), (2024, 121)), 2026).facts["rate"] == 10.0


@pytest.mark.parametrize("target, observations, as_of, expected", [
    ({**CHANGE, "baseline_value": None}, obs((2022, 5)), 2026, ("no_data", "no_baseline")),
    (CHANGE, obs(), 2026, ("no_data", "no_observations")),
    (CHANGE, obs((2022, 20)), 2026, ("no_data", "needs_two_points")),
    (CHANGE, obs((2021, 12), (2022, 12)), 2026, ("on_track", "pace_enough")),     # 12 a year -> 120 >= 110
    (CHANGE, obs((2021, 8), (2022, 9)), 2026, ("behind", "pace_short")),          # 85 by 2030
    (CHANGE, obs((2021, 60), (2022, 60)), 2026, ("achieved", "met_total")),       # already 120
    (CHANGE, obs((2021, 10), (2030, 10)), 2031, ("not_achieved", "deadline_passed_total")),
    (CHANGE, obs((2015, 500), (2021, 5), (2022, 5)), 2026, ("behind", "pace_short")),  # the baseline years do not count
])
def test_change_against_a_past_period(target, observations, as_of, expected):
    assert status(target, observations, as_of) == expected


@pytest.mark.parametrize("observations, as_of, expected", [
    (obs(), 2026, ("no_data", "no_observations")),
    (obs((2024, 1)), 2026, ("achieved", "milestone_done")),
    (obs((2024, 0)), 2026, ("no_data", "no_observations")),
    (obs((2030, 0)), 2031, ("not_achieved", "milestone_not_done")),
    (obs(), 2031, ("overdue", "overdue_nothing_published")),   # silence after the deadline: overdue, not "not done"
])
def test_milestone(observations, as_of, expected):
    assert status(MILESTONE, observations, as_of) == expected


def test_summary_counts_statuses_and_targets_with_data():
    assessments = {"a": assess(COUNT, obs(), 2026), "b": assess(COUNT, obs((2023, 12)), 2026),
                   "c": assess(COUNT, obs((2023, 4)), 2026)}
    assert summarise(assessments, {"b", "c"}) == {"overdue": 0, "not_achieved": 0, "behind": 0, "no_data": 2, "on_track": 0,
                                                  "achieved": 1, "with_data": 2, "total": 3}


# --- after the deadline (issue 15): the deadline is the end of its year, judged on the data's date ---
DUE_2025 = {**COUNT, "target_value": 5, "deadline_year": 2025}


@pytest.mark.parametrize("target, observations, as_of, expected", [
    (DUE_2025, obs(), 2024, ("no_data", "no_observations")),                  # the year before: still within
    (DUE_2025, obs(), 2025, ("no_data", "no_observations")),                  # the deadline year itself, to 31 Dec
    (DUE_2025, obs(), 2026, ("overdue", "overdue_nothing_published")),        # the year after: overdue
    (DUE_2025, obs((2025, 3)), 2026, ("not_achieved", "deadline_passed")),    # figures, short: not achieved
    (DUE_2025, obs((2023, 2), (2025, 5)), 2026, ("achieved", "met")),        # figures, met: achieved for good
    (DUE_2025, obs((2022, 1), (2024, 2)), 2025, ("behind", "projected_short")),   # behind within the year
    (DUE_2025, obs((2022, 1), (2024, 2)), 2026, ("not_achieved", "deadline_passed")),  # ... not achieved after it
    (COUNT, obs(), 2026, ("no_data", "no_observations")),                     # a 2030 target in 2026: no data yet
    (COUNT, obs(), 2030, ("no_data", "no_observations")),                     # ... still within in 2030
    (COUNT, obs(), 2031, ("overdue", "overdue_nothing_published")),           # ... overdue in 2031
    ({**BAND, "deadline_year": 2025}, obs(), 2026, ("overdue", "overdue_nothing_published")),
    ({**BAND, "deadline_year": 2025}, obs((2022, 100), (2025, 105)), 2026, ("not_achieved", "growth_below_band")),
    ({**BAND, "deadline_year": 2025}, obs((2024, 100)), 2026, ("no_data", "needs_two_points")),  # published, too little to judge
    ({**CHANGE, "baseline_value": None}, obs(), 2031, ("overdue", "overdue_nothing_published")),
    ({**MILESTONE, "deadline_year": 2025}, obs(), 2026, ("overdue", "overdue_nothing_published")),
    ({**MILESTONE, "deadline_year": 2025}, obs((2026, 1)), 2027, ("achieved", "milestone_done")),  # done late still counts as done
])
def test_after_the_deadline(target, observations, as_of, expected):
    assert status(target, observations, as_of) == expected


def test_overdue_says_which_deadline():
    assert assess(DUE_2025, obs(), 2026).facts == {"deadline": 2025}
