"""The English catalog's closure entries (issue 14): what the client is told when a rep resolves
their conversation, and the one optional question that follows ("Did we help?").

Merged into the English catalog by `assistant.wording.catalog`.  `widget.` entries are only ever
shown in the web chat (never texted), so they may use typographic punctuation; the SMS entries
are plain GSM-7 and carry the opt-out wording every text the practice starts carries.
"""

from __future__ import annotations

from types import MappingProxyType

MESSAGES = MappingProxyType(
    {
        "widget.closed_by": "{first_name} closed this conversation \u2014 message us any time",
        "widget.closed_by_team": "Our team closed this conversation \u2014 message us any time",
        "closure.sms_closed_by": (
            "{practice}: {first_name} closed this conversation. Text us here any time. Reply STOP to opt out."
        ),
        "closure.sms_closed_by_team": (
            "{practice}: our team closed this conversation. Text us here any time. Reply STOP to opt out."
        ),
        "widget.feedback_question": "Did we help?",
        "widget.feedback_comment_label": "Anything you'd like to add? (optional)",
        "widget.feedback_thanks": "Thanks for telling us.",
    }
)
