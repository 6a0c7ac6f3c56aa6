"""What the demo practice *Lakeside Counseling* is: its clinicians and their hours, its
clients (Jordan, Priya and Chris are the ones the demo scripts use) and their cards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from assistant.store.models import AvailabilityModality

SLUG = "lakeside"
TIMEZONE = "America/New_York"
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
EITHER, IN_PERSON_ONLY, VIDEO_ONLY = (
    AvailabilityModality.EITHER,
    AvailabilityModality.IN_PERSON,
    AvailabilityModality.TELEHEALTH,
)
PATEL, RIVERA, CHEN = "Dr. Maya Patel", "Sam Rivera, LCSW", "Dr. Alex Chen"
WEEKDAYS_9_TO_5 = [["09:00", "17:00"]]
# Sites that may embed the demo chat widget (the gateway's own origin is always allowed).
WIDGET_ORIGINS = ("http://localhost:8000", "http://127.0.0.1:8000")

# (weekday, start, end, modality) and (days from first load, start, end, reason): None is all day.
WindowSpec = tuple[int, str, str, AvailabilityModality]
ExceptionSpec = tuple[int, str | None, str | None, str]
# (name, office, windows, exceptions)
CLINICIANS: list[tuple[str, str, list[WindowSpec], list[ExceptionSpec]]] = [
    (
        PATEL,
        "Suite 210",
        [
            *((day, "09:00", "17:00", EITHER) for day in (MON, TUE, WED, THU)),
            (TUE, "17:00", "19:00", VIDEO_ONLY),
            (THU, "17:00", "19:00", VIDEO_ONLY),
            (FRI, "09:00", "17:00", EITHER),
            # Weekend video hours, so the demo session (always two days out at 3 PM) sits
            # inside her availability whatever day the demo is loaded.
            (SAT, "10:00", "16:00", VIDEO_ONLY),
            (SUN, "12:00", "16:00", VIDEO_ONLY),
        ],
        [(3, "12:00", "14:00", "Clinical supervision")],
    ),
    (
        RIVERA,
        "Suite 120",
        # Late video hours on Wednesdays, for clients who work days.
        [*((day, "11:00", "19:00", EITHER) for day in (MON, TUE, WED, THU, FRI)), (WED, "19:00", "21:00", VIDEO_ONLY)],
        [],
    ),
    (
        CHEN,
        "Suite 305",
        [
            *((day, "09:00", "17:00", IN_PERSON_ONLY) for day in (MON, WED, FRI)),
            # Evening video on Tuesdays and Thursdays.
            *((day, "17:00", "20:00", VIDEO_ONLY) for day in (TUE, THU)),
            (SAT, "09:00", "12:00", VIDEO_ONLY),
        ],
        [(12, None, None, "Conference")],
    ),
]


@dataclass(frozen=True)
class DemoClient:
    first_name: str
    last_name: str
    mobile: str
    date_of_birth: dt.date
    clinician: str
    sms_consent: bool = True


JORDAN = DemoClient("Jordan", "Lee", "+15555550123", dt.date(1990, 4, 12), PATEL)
PRIYA = DemoClient("Priya", "Shah", "+15555550124", dt.date(1985, 9, 30), RIVERA)
CHRIS = DemoClient("Chris", "Morgan", "+15555550125", dt.date(1978, 1, 5), CHEN)
# Last seen 45 days ago, nothing booked: on the dropped-off worklist (issue 11).
MORGAN = DemoClient("Morgan", "Ellis", "+15555550128", dt.date(1988, 2, 14), RIVERA)
DROPPED_OFF_DAYS_AGO = 45
CLIENTS = [
    JORDAN,
    PRIYA,
    CHRIS,
    DemoClient("Avery", "Kim", "+15555550126", dt.date(1995, 6, 18), RIVERA),  # no appointment
    # A parent and a teen on one family phone, for the SMS "which of you?" case.
    DemoClient("Taylor", "Brooks", "+15555550130", dt.date(1982, 3, 9), CHEN),
    DemoClient("Riley", "Brooks", "+15555550130", dt.date(2010, 11, 2), CHEN),
    DemoClient(
        "Dana", "Whitfield", "+15555550127", dt.date(1972, 7, 21), PATEL, sms_consent=False
    ),  # opted out of texts
    MORGAN,
]
# (client, brand, last4, exp_month, exp_year); Chris's card has expired on purpose.
BILLING = [(JORDAN, "Visa", "4242", 8, 2028), (CHRIS, "Mastercard", "4444", 1, 2025)]

# Where a caller who asks for a person is put through in business hours (a demo number:
# without Twilio credentials nothing is dialled; `assistant call --dial` plays the outcome).
FRONT_DESK_NUMBERS = ("+15555550150",)
