"""The English catalog's outreach entries: the reminder and follow-up texts a practice starts
from (and may edit in the console), and the answers to a client's reply to one.

Merged into the English catalog by `assistant.wording.catalog`; same rules as `en.py`.
"""

from __future__ import annotations

from types import MappingProxyType

MESSAGES = MappingProxyType(
    {
        # --- Outreach texts (assistant/outreach/): the defaults a practice may edit in the console.
        # One segment where possible, the practice's name and the opt-out line in each, no
        # clinician name, no clinical words, no links (templates.problems checks edits).
        "outreach.template.reminder": (
            "{practice_name}: reminder of your {modality} session {session_time}. "
            "Reply C to confirm, R to reschedule, X to cancel. Reply STOP to opt out."
        ),
        "outreach.template.booking_confirmation": (
            "{practice_name}: your {modality} session is booked for {session_time}. "
            "Reply C to confirm, R to reschedule, X to cancel. Reply STOP to opt out."
        ),
        "outreach.template.no_show": (
            "Hi {client_first_name}, it's {practice_name}. We missed you today - want to find a new time? "
            "Just reply here. Reply STOP to opt out."
        ),
        "outreach.template.cancelled_not_rebooked": (
            "Hi {client_first_name}, it's {practice_name}. Would you like to find a new time for your session? "
            "Just reply here. Reply STOP to opt out."
        ),
        "outreach.template.no_next_session": (
            "Hi {client_first_name}, it's {practice_name}. Would you like to book your next session? "
            "Just reply here. Reply STOP to opt out."
        ),
        "outreach.template.dropped_off_checkin": (
            "Hi {client_first_name}, it's {practice_name}, checking in. Whenever you'd like a session, "
            "just reply here. Reply STOP to opt out."
        ),
        "outreach.template.manual_checkin": (
            "Hi {client_first_name}, it's {practice_name}, checking in. Whenever you'd like a session, "
            "just reply here. Reply STOP to opt out."
        ),
        # Added to every video reminder, before the opt-out line (outreach/sender.py).
        "outreach.template.video_link_hint": "Reply LINK for your video link.",
        # --- Answers to an outreach text (assistant/outreach/replies.py, actions/reminded.py).
        "outreach.reply.confirmed": "You're confirmed for {when}. See you then!",
        "outreach.reply.moved": "That session was moved to {when}.",
        "outreach.reply.cancelled": "That session was cancelled. Would you like to book a new time?",
        "outreach.reply.past": 'That session has already started or passed. Reply "book" to find a new time.',
        "outreach.reply.in_person": "Your session on {when} is in person{place}, so there's no video link for it.",
    }
)
