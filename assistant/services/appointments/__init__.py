"""Appointment operations the dialogue actions call: find, book, reschedule, cancel.

Each takes the caller's `Session`; the caller owns the transaction and commits.
Savepoints keep a failed change from leaving anything half-done.  Who gets a
contested slot is settled by the database's partial unique index
(`uq_appointment_clinician_slot_booked`), not by the read-then-write check here,
so of two clients racing for one time exactly one is booked.

search.py finds open times (over the calendar calendar.py reads from the store),
changes.py books, moves and cancels, errors.py names every refusal.
"""

from assistant.services.appointments.changes import (
    SLOT_INDEX,
    CancelResult,
    RescheduleResult,
    book,
    cancel,
    new_telehealth_url,
    reschedule,
)
from assistant.services.appointments.errors import (
    AlreadyAtThatTime,
    AppointmentError,
    AppointmentNotFound,
    NotChangeable,
    SlotUnavailable,
)
from assistant.services.appointments.search import (
    DEFAULT_HORIZON_DAYS,
    BookingDefaults,
    booking_defaults,
    find_open_slots,
    format_slot,
    next_appointment,
)

__all__ = [
    "DEFAULT_HORIZON_DAYS",
    "SLOT_INDEX",
    "AlreadyAtThatTime",
    "AppointmentError",
    "AppointmentNotFound",
    "BookingDefaults",
    "CancelResult",
    "NotChangeable",
    "RescheduleResult",
    "SlotUnavailable",
    "book",
    "booking_defaults",
    "cancel",
    "find_open_slots",
    "format_slot",
    "new_telehealth_url",
    "next_appointment",
    "reschedule",
]
