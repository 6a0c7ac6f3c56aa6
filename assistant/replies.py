"""Client-facing wording shared by the gateway and the dialogue actions.

Kept in one place so the crisis message, the handoff promises and the help
menu read the same whichever part of the system sends them.
"""

from __future__ import annotations

CRISIS_REPLY = (
    "I'm really glad you reached out, and I want you to get help right now. "
    "Please call or text 988 (Suicide & Crisis Lifeline, 24/7). "
    "If you are in immediate danger, call 911. "
    "I've alerted our team and a person will contact you as soon as possible."
)

HANDOFF_ACK = (
    "I've passed this to our front desk team; a person will reply right here. "
    "If this is an emergency, call 911, or call or text 988."
)

WAITING_FOR_REP = "Thanks, your message is with our team and a person will reply here soon."

CARD_REDACTED = (
    "For your security I removed the card number from your message: please never "
    "send card details in chat. I can send you a secure link to update your card instead."
)

SERVICE_TROUBLE = (
    "Sorry, I'm having trouble on my side right now. I've passed your message to "
    "our team and a person will reply here. If this is an emergency, call 911, "
    "or call or text 988."
)

HELP_MENU = (
    "I can move, cancel or book a session, tell you when your next session is, "
    "send your video link, help you get into the client portal, or send a secure "
    "link to update your card."
)
