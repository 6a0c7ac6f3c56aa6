"""Reschedule, cancel and book: offer real open slots, confirm, change the store.

The conversation keeps what is on the client's screen in slots
(`pending_task`, `offered_slots`, `selected_slot`, `target_appointment_id`),
so a reply of "2", "yes" or "friday afternoon" is read against it.

offers.py reads and writes what is on the screen, starting.py starts a task (move, book,
cancel), answering.py handles the client's answer (an option, yes, no).
"""

from actions.scheduling.answering import ChooseOption, ConfirmPending, DeclinePending
from actions.scheduling.starting import OfferBooking, OfferForPreference, OfferReschedule, StartCancel

__all__ = [
    "ChooseOption",
    "ConfirmPending",
    "DeclinePending",
    "OfferBooking",
    "OfferForPreference",
    "OfferReschedule",
    "StartCancel",
]
