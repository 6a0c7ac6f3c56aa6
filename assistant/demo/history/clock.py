"""Simulated moments: local times at the practice, and how long a person takes to answer."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from assistant.scheduling.hours import BusinessHours, is_open, next_opening
from assistant.services.promises import practice_hours
from assistant.store.models import Practice

# When clients write (local hour -> weight): mornings, lunch and after work; a little at night.
HOUR_WEIGHTS = [1, 1, 0, 0, 0, 1, 2, 5, 9, 11, 10, 8, 9, 8, 7, 7, 8, 10, 11, 10, 8, 5, 3, 2]


class Clock:
    def __init__(self, practice: Practice, rng: random.Random) -> None:
        self.zone = ZoneInfo(practice.timezone)
        self.hours: BusinessHours = practice_hours(practice)
        self.rng = rng

    def local(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        """`hour:minute` on `day` at the practice, as UTC."""
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.zone).astimezone(dt.UTC)

    def client_moment(self, day: dt.date) -> dt.datetime:
        hour = self.rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
        return self.local(day, hour, self.rng.randrange(60))

    def reply_delay(self, opened: dt.datetime) -> dt.datetime:
        """When a person first answers a hand-off opened at `opened`: minutes when the desk is
        staffed (now and then longer, past the promise), the next opening when it is not."""
        minutes = self.rng.lognormvariate(2.9, 0.8)  # median about 18 minutes
        if self.rng.random() < 0.08:
            minutes += self.rng.uniform(60, 180)  # a busy afternoon
        if is_open(self.hours, opened):
            return opened + dt.timedelta(minutes=minutes)
        opening = next_opening(self.hours, opened)
        return (opening or opened + dt.timedelta(hours=12)) + dt.timedelta(minutes=minutes)
