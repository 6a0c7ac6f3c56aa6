"""Demo data for "Lakeside Counseling": a practice, three clinicians, a handful of clients.

Loading is idempotent: records are found by natural keys (practice slug,
clinician name, client name and mobile) and only missing ones are created.
The few appointments the demo scripts rely on are kept *upcoming*: when
re-run after they have passed (or were cancelled), fresh ones are booked.

data.py says what the demo practice is, rows.py finds or creates its rows, sessions.py keeps
the scripted sessions upcoming, loader.py runs it all.
"""

from assistant.demo.data import (
    BILLING,
    CHEN,
    CHRIS,
    CLIENTS,
    CLINICIANS,
    JORDAN,
    PATEL,
    PRIYA,
    RIVERA,
    SLUG,
    TIMEZONE,
    DemoClient,
)
from assistant.demo.loader import DemoSummary, load_demo_data

__all__ = [
    "BILLING",
    "CHEN",
    "CHRIS",
    "CLIENTS",
    "CLINICIANS",
    "JORDAN",
    "PATEL",
    "PRIYA",
    "RIVERA",
    "SLUG",
    "TIMEZONE",
    "DemoClient",
    "DemoSummary",
    "load_demo_data",
]
