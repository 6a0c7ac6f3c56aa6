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

# SMS-only wording.
SMS_HELP = (
    "{practice}: this number is our front desk assistant. Text to move, cancel or book a "
    "session, get your video link or portal help. Reply PERSON to reach our team, or call "
    "{phone}. In crisis, call or text 988; in an emergency call 911. Reply STOP to opt out."
)
SMS_OPTED_IN = "You're subscribed to {practice} texts again. Reply STOP to opt out, HELP for help."
SMS_NO_TEXT = (
    "Thanks! I can only read text, so please type your question. "
    "If you sent a picture, I've kept it for our team."
)
SMS_SLOW_DOWN = (
    "You're sending messages faster than I can answer. I've kept them all; please wait a "
    "minute before sending more. If this is an emergency, call 911, or call or text 988."
)
SMS_WHO_IS_TEXTING = "This number is shared by more than one person on file. Who is texting? Reply {options}."
SMS_WHO_AGAIN = "Sorry, I didn't catch that. Reply {options}."
SMS_IDENTIFIED = "Thanks, {first_name}! What can I help you with?"
SMS_UNKNOWN_NUMBER = (
    "I can't match this number to our records, so I can't look up appointments by text. "
    "Reply PERSON to reach our team, or call {phone}."
)
