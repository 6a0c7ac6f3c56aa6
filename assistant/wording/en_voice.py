"""The English catalog's phone entries: what a caller hears (`voice.*`, written for the ear:
no links, no symbols, choices spoken as choices) and the texts a call leads to (`sms.call_*`).

Merged into the English catalog by `assistant.wording.catalog`; same rules as `en.py`.
"""

from __future__ import annotations

from types import MappingProxyType

_SAFETY = "If this is an emergency, hang up and call 911. To reach the crisis line, call or text 988."

MESSAGES = MappingProxyType(
    {
        # --- Greeting and identity ------------------------------------------------------------
        "voice.greeting": (
            "Thanks for calling {practice}. I'm the practice's automated assistant. "
            "I can help you move, cancel or book a session, or get your video link. "
            "You can press 0 at any time to reach a person."
        ),
        "voice.how_can_i_help": "How can I help you today?",
        "voice.anything_else": "Is there anything else I can help with?",
        "voice.ask_dob": (
            "Before we talk about appointments, I need to confirm who I'm speaking with. "
            "Please say your date of birth, or key it in as eight digits: two for the month, "
            "two for the day and four for the year."
        ),
        "voice.dob_again": (
            "Sorry, that doesn't match our records. Please say your date of birth again, or key it "
            "in as eight digits, month, day and year."
        ),
        "voice.dob_not_understood": (
            "Sorry, I didn't catch a date. Please key in your date of birth as eight digits: month, day and year."
        ),
        "voice.dob_failed": (
            "I'm sorry, I couldn't confirm your details, so I can't discuss appointments on this "
            "call. I can still answer general questions, or press 0 to reach a person."
        ),
        "voice.confirmed": "Thank you, {first_name}.",
        "voice.unknown_caller": (
            "I can't look up appointments on this call, because I can't match this number to our "
            "records. I can answer general questions, or press 0 to reach a person or leave a message."
        ),
        "voice.who_is_calling": "This number is on file for more than one person. Who is calling? {options}.",
        "voice.who_again": "Sorry, I didn't catch that. {options}.",
        "voice.option": "{choice} or press {digit}",
        # --- Listening ------------------------------------------------------------------------
        "voice.reprompt": "Sorry, I didn't hear anything. You can say what you need, or press 0 for a person.",
        "voice.not_understood": "Sorry, I didn't quite catch that. Could you say it another way?",
        "voice.offer_person": ("I'm having trouble understanding. Let me get you to a person who can help."),
        "voice.goodbye_silence": ("I'm sorry, I still can't hear you. I'll text you how to reach us. Goodbye."),
        "voice.filler": "One moment.",
        "voice.today": "today",
        "voice.tomorrow": "tomorrow",
        "voice.still_working": "Thanks for waiting, I'm still looking.",
        "voice.choices_yes_no": "Say yes or no, or press 1 for yes and 2 for no.",
        "voice.choices_numbered": "Say the number of the one you want, or press it on your keypad.",
        "voice.choices_buttons": "You can say {options}.",
        "voice.link_texted": "I've texted the link to your mobile.",
        "voice.link_not_texted": (
            "I can't read links out on a call, and I can't text this one to you. Press 0 and a person will help."
        ),
        "voice.card_redacted": (
            "For your security, please don't read card numbers over the phone. I've kept it out "
            "of our records, and your card can be updated through a secure link by text."
        ),
        "voice.trouble": "Sorry, I'm having trouble on my side right now. Let me get you to a person.",
        # --- A person -------------------------------------------------------------------------
        "voice.connecting": "Please hold while I connect you to our front desk.",
        "voice.leave_message": (
            "Nobody is free to take your call right now, but {promise}. "
            "Please leave your name and a short message after the tone, then hang up. " + _SAFETY
        ),
        "voice.closed_leave_message": (
            "I'm sorry, {promise}. Please leave your name and a short message after the tone, then hang up. " + _SAFETY
        ),
        "voice.message_received": "Thank you, we have your message and {promise}. Goodbye.",
        "voice.no_message": "I didn't get a message, but {promise}. Goodbye.",
        "voice.goodbye": "Thanks for calling. Goodbye.",
        # --- Crisis ---------------------------------------------------------------------------
        "voice.crisis": (
            "I'm really glad you called, and I want you to get help right now. "
            "You can call or text 988, the Suicide and Crisis Lifeline, at any time. "
            "If you are in immediate danger, hang up and call 911. "
            "I'm connecting you to our on-call clinician now."
        ),
        "voice.crisis_no_oncall": (
            "I'm really glad you called, and I want you to get help right now. "
            "You can call or text 988, the Suicide and Crisis Lifeline, at any time. "
            "If you are in immediate danger, hang up and call 911. "
            "Our team has been alerted and a person will call you back as soon as possible."
        ),
        "voice.crisis_leave_message": "If you'd like, leave a message for our team after the tone.",
        "voice.crisis_no_answer": (
            "Our on-call clinician couldn't answer just now, and our team has been alerted. "
            "Please call or text 988, the Suicide and Crisis Lifeline, right away; it is open all "
            "day and night. If you are in immediate danger, hang up and call 911. "
            "You can also leave a message after the tone."
        ),
        # --- Texts a call leads to ------------------------------------------------------------
        "sms.call_link": "{practice}: the link from your call: {text}",
        "sms.call_missed": (
            "{practice}: sorry we missed your call. Reply here and we'll help, or {promise}. Reply STOP to opt out."
        ),
        "sms.call_silence": (
            "{practice}: we couldn't hear you on your call just now. Reply here and we'll help, "
            "or call us back. In a crisis call or text 988. Reply STOP to opt out."
        ),
        "sms.call_message_received": (
            "{practice}: we got your voicemail and {promise}. Reply here to text us instead. Reply STOP to opt out."
        ),
    }
)
