"""The day a build judges states on (its as-of date), apart from the day the data was last updated.

Every date-relative statement on the site (overdue, due in N days, the next deadline, the timeline's
"today") is computed as of this day, and each page that shows one says which day it is. The default is
today in Viet Nam, where the plans' deadlines fall; the same data and the same as-of date make the same
site, byte for byte. A day before the data's own date is refused: the data would speak of days the
build claims have not come yet.
"""
from __future__ import annotations

import datetime as dt

# Viet Nam keeps UTC+7 all year (no daylight saving): a fixed offset, with no time-zone database needed
VIET_NAM = dt.timezone(dt.timedelta(hours=7), "Asia/Ho_Chi_Minh")


class AsOfBeforeData(ValueError):
    """An as-of date earlier than the data's last_updated."""

    def __init__(self, as_of: dt.date, data_date: dt.date):
        super().__init__(f"as of {as_of} is before the data's last_updated {data_date}")
        self.as_of, self.data_date = as_of, data_date


def today() -> dt.date:
    """Today's date in Viet Nam (a build at 00:30 there is already on the new day)."""
    return dt.datetime.now(VIET_NAM).date()


def data_date(meta: dict) -> dt.date:
    return dt.date.fromisoformat(meta["last_updated"])


def as_of(meta: dict, given: dt.date | None = None) -> dt.date:
    """The build's as-of date: `given`, or today in Viet Nam; never before the data's date."""
    day = given or today()
    if day < data_date(meta):
        raise AsOfBeforeData(day, data_date(meta))
    return day
