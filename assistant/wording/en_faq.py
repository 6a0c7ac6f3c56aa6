"""The English catalog's practice questions (`faq.*`): hours, the policy, how to reach a
person, and the frame around the answers a practice writes itself.

Merged into the catalog by assistant/wording/catalog.py.  Written for every channel: no
clinician names and nothing clinical (a text or a call is not a private screen), plain
ASCII (a dash outside GSM-7 would double an SMS's cost) and nothing a call cannot say.
"""

from __future__ import annotations

from types import MappingProxyType

MESSAGES = MappingProxyType(
    {
        # --- Hours (scheduling/opening_hours.py decides; wording/faq_hours.py assembles) ----
        "faq.hours": "Our front desk hours are {week} ({zone}). {now}",
        "faq.hours.day": "{day}",
        "faq.hours.days": "{first} to {last}",
        "faq.hours.range": "{start} to {end}",
        "faq.hours.open_group": "{days} {ranges}",
        "faq.hours.closed_group": "closed {days}",
        "faq.hours.now_open": "We're open now, until {closes}.",
        "faq.hours.now_open_no_end": "We're open now.",
        "faq.hours.now_closed": "We're closed right now and open again {opens}.",
        "faq.hours.now_closed_unknown": "We're closed right now.",
        "faq.open_now.open": "Yes, we're open right now, until {closes}.",
        "faq.open_now.open_no_end": "Yes, we're open right now.",
        "faq.open_now.closed": "No, we're closed right now. We open again {opens}.",
        "faq.open_now.closed_unknown": "No, we're closed right now, and I don't have our next opening time.",
        "faq.open_now.leave_message": " You can still leave a message here and a person will follow up.",
        # --- The cancellation policy, from the practice's policy settings -------------------
        "faq.cancellation_policy.fee": (
            "We ask for {notice} to cancel or reschedule a session. Cancelling with less notice "
            "carries a {fee} late-cancellation fee. To cancel or move a session, just tell me."
        ),
        "faq.cancellation_policy.no_fee": (
            "We ask for {notice} to cancel or reschedule a session. There's no late fee, but "
            "letting us know early frees the time for someone else. To cancel or move a session, just tell me."
        ),
        "faq.cancellation_policy.any_time": (
            "You can cancel or reschedule at no charge. To cancel or move a session, just tell me."
        ),
        # --- How to reach a person, with the promise the hand-off code makes ----------------
        "faq.contact": "To reach a person, just ask me for one here and {promise}.",
        "faq.contact.phone": " You can also call us at {phone}.",
        # --- Answers the practice wrote (services/practice_faq), and their links ------------
        "faq.answer": "{answer}",
        "faq.link.address": "Map: {url}",
        "faq.link.parking": "More on getting here: {url}",
        "faq.link.accessibility": "More on access: {url}",
        "faq.link.insurance": "More on insurance: {url}",
        "faq.link.self_pay": "Our rates: {url}",
        "faq.link.first_session": "More about your first visit: {url}",
        "faq.link.intake_forms": "The forms: {url}",
        "faq.link.telehealth": "Test your connection: {url}",
        "faq.more_on_web": " (More in our web chat or from our team.)",
        # --- Not answered yet: a person answers, never a guess -------------------------------
        "faq.not_answered": (
            "Good question. I don't have that answer on hand, so I've asked our front desk team; {promise}."
        ),
    }
)
