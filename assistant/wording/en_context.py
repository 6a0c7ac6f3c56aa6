"""The English catalog's follow-up entries (issue 12): keeping a promise ("still stuck"),
changes of mind ("keep my old time"), "none of those", a pick that matches several times,
answers given in passing while something is on screen, and a second request in one message.

Merged into the English catalog by `assistant.wording.catalog`; same rules as `en.py`
(plain GSM-7 text, named placeholders, `{promise}` in every hand-off that promises a person).
"""

from __future__ import annotations

from types import MappingProxyType

MESSAGES = MappingProxyType(
    {
        # --- A promise kept: "still not working" after help was given -------------------------
        "context.link_trouble": (
            "Sorry that didn't work. I can send the link again, or get a person from our team to help."
        ),
        "context.stuck_what": (
            "Sorry it's still not working. Tell me what you were trying to do (your video link, "
            "the portal, your card or a session), or I can get a person to help."
        ),
        "button.send_link_again": "Send the link again",
        # --- Changes of mind ---------------------------------------------------------------------
        "context.kept_session": "Okay, your session stays on {when}. Nothing has changed.",
        "context.kept_nothing_booked": "Okay, I haven't booked anything. Nothing has changed.",
        "context.kept_nothing_pending": "Okay, nothing has changed. Anything else I can help with?",
        "context.switch_during_check.reschedule": (
            "Okay, moving your session instead. First I need to confirm who you are."
        ),
        "context.switch_during_check.cancel": (
            "Okay, cancelling your session instead. First I need to confirm who you are."
        ),
        "context.switch_during_check.book": (
            "Okay, booking a new session instead. First I need to confirm who you are."
        ),
        # --- Picks and "none of those" ----------------------------------------------------------
        "context.which_of": "Sorry, which one: {options}?",
        "context.or": " or ",
        "context.other_times": "No problem, here are some other times.",
        "context.no_other_times": (
            "Sorry, I don't have other open times to offer right now. Tell me a day or time that "
            'suits you, or reply "person" and our team will help.'
        ),
        "handoff.no_suitable_time": (
            "Sorry none of those suit you. I've asked our front desk team to find a time that works for you; {promise}."
        ),
        # --- Answered in passing, then back to what is on screen --------------------------------
        "context.offer_how": "The times I offered are {how}{with_clinician}, like your current session.",
        "context.offer_how_new": "The times I offered are {how}.",
        "context.back_to_offer": "Back to the times I offered:",
        "context.back_to_question.cancel": "Do you still want to cancel your session on {session}?",
        "context.back_to_question.move": "Do you still want to move your session to {new_time}?",
        "context.back_to_question.book": "Do you still want to book {when}?",
        # --- A second request in the same message ------------------------------------------------
        "context.cancelled_then": "Done - your session on {when} is cancelled.{fee}",
        "context.now_next.book": "Now, booking your new session:",
        "context.now_next.reschedule": "Now, moving your session:",
        "context.now_next.cancel": "Now, cancelling:",
        "context.now_next.video_link": "Now, your video link:",
    }
)
