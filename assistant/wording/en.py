"""The English catalog: every sentence the front desk says to a client, by key.

Placeholders are named (`{first_name}`, `{session}`, `{promise}`) and filled by
`assistant.wording.catalog.text`; a second language is a second module with the same
keys and placeholders (tests/unit/test_wording.py checks both).  Hand-off replies that
promise a person carry `{promise}`: the honest "a person will reply right here within
about an hour" (or "...by Sat 10:00 AM") is put in there, never found by string search.
"""

from __future__ import annotations

from types import MappingProxyType

_SAFETY = "If this is an emergency, call 911, or call or text 988."

MESSAGES = MappingProxyType(
    {
        # --- Crisis, hand-off, trouble (gateway and actions) ---------------------------------
        "crisis.reply": (
            "I'm really glad you reached out, and I want you to get help right now. "
            "Please call or text 988 (Suicide & Crisis Lifeline, 24/7). "
            "If you are in immediate danger, call 911. "
            "I've alerted our team and a person will contact you as soon as possible."
        ),
        "handoff.ack": "I've passed this to our front desk team; {promise}. " + _SAFETY,
        "handoff.billing": (
            "Billing questions are best answered by our team, so I've passed this on; {promise}. "
            "To update your card yourself, ask me for a card update link."
        ),
        "handoff.low_confidence": (
            "I'm sorry, I'm not sure I understood. I've passed your message to our front desk team; {promise}."
        ),
        "handoff.portal": (
            "Sorry the portal is still giving you trouble. I've asked our front desk team to help; {promise}."
        ),
        "handoff.verification_failed": (
            "I couldn't match those details to our records, so I've asked our front desk team to help; {promise}."
        ),
        "handoff.code_locked": (
            "I couldn't confirm that code, so I've asked our front desk team to help; {promise}. " + _SAFETY
        ),
        # --- When a person will answer (assistant/wording/promises.py picks one by the promise's
        # kind: scheduling/hours.py PromiseKind). `promise.*` fills a hand-off's {promise},
        # `waiting.*` answers a client who writes again, `callback.*` is the phone's {promise}.
        "promise.within_window": "a person will reply right here within about {window}",
        "promise.by_time": "a person will reply right here by {when}",
        "promise.closed_until": "we're closed right now, so a person will reply right here by {when}",
        "promise.closed_unknown": "we're closed right now, so a person will reply right here as soon as we reopen",
        "promise.overdue": "a person will reply right here as soon as possible",
        "waiting.within_window": "Thanks, your message is with our team and a person will reply here by {when}.",
        "waiting.by_time": "Thanks, your message is with our team and a person will reply here by {when}.",
        "waiting.closed_until": (
            "Thanks, your message is with our team. We're closed right now; a person will reply here by {when}."
        ),
        "waiting.closed_unknown": (
            "Thanks, your message is with our team. We're closed right now; a person "
            "will reply here as soon as we reopen."
        ),
        "waiting.overdue": (
            "Sorry for the wait: your message is with our team and a person will reply here as soon as possible."
        ),
        "callback.within_window": "a person will call you back within about {window}",
        "callback.by_time": "a person will call you back by {when}",
        "callback.closed_until": "we're closed right now, so a person will call you back by {when}",
        "callback.closed_unknown": "we're closed right now, so a person will call you back as soon as we reopen",
        "callback.overdue": "a person will call you back as soon as possible",
        # Durations and moments, filled into the sentences above (plural forms by CLDR category).
        "duration.a_minute": "a minute",
        "duration.an_hour": "an hour",
        "duration.minutes.one": "{count} minute",
        "duration.minutes.other": "{count} minutes",
        "duration.hours.one": "{count} hour",
        "duration.hours.other": "{count} hours",
        "duration.hours_and_minutes": "{hours} {minutes}",
        "moment.today": "{clock} today",  # written, {clock} with its zone: "4:30 PM ET today"
        "moment.another_day": "{date}, {clock}",  # "Mon Nov 30, 10:00 AM ET"
        # Said on a call (and in the texts that promise a call back), {zone} in words: "Eastern time".
        "spoken.today": "{time} today, {zone}",  # "4:30 PM today, Eastern time"
        "spoken.tomorrow": "{time} tomorrow, {zone}",
        "spoken.this_week": "{weekday} at {time}, {zone}",  # "Monday at 10 AM, Eastern time"
        "spoken.later": "{weekday}, {date} at {time}, {zone}",  # a week or more ahead: "Monday, December 7 at 10 AM"
        # The bot is out for a moment; the widget shows it as a pending state (conversation/outage.py).
        "service.one_moment": "One moment, please: I'm catching up and will answer here shortly.",
        "service.trouble": (
            "Sorry, I'm having trouble on my side right now. I've passed your message to "
            "our team and a person will reply here. " + _SAFETY
        ),
        "security.card_redacted": (
            "For your security I removed the card number from your message: please never "
            "send card details in chat. I can send you a secure link to update your card instead."
        ),
        "help.menu": (
            "I can move, cancel or book a session, tell you when your next session is, "
            "send your video link, help you get into the client portal, or send a secure "
            "link to update your card."
        ),
        "clarify.ask": "Sorry, I didn't quite get that. Is it one of these?",
        # --- Identity -------------------------------------------------------------------------
        "identity.ask_name": (
            "Before I look anything up, I need to confirm who I'm talking with. What's your full name (first and last)?"
        ),
        "identity.ask_date_of_birth": "Thanks. And your date of birth? (for example 04/12/1990)",
        "identity.need_full_name": "Please tell me your first and last name.",
        "identity.unreadable_date": "Sorry, I couldn't read that date. Please send it like 04/12/1990.",
        "identity.verified": "Thanks, {first_name}, you're verified.",
        # The same for wrong details and for a client whose name+DOB check is locked.
        "identity.details_dont_match": (
            "Those details don't match our records. Let's try once more. If it still "
            'doesn\'t work, say "talk to a person" and our front desk will help, or '
            "start a new chat and have a code texted to your mobile on file."
        ),
        "identity.code_sent_notice": (
            "If those details match our records and we can text the mobile number on "
            "file, we've sent a 6-digit code. It expires in 10 minutes."
        ),
        "identity.code_text": "Your {practice} verification code is {code}. It expires in 10 minutes.",
        # --- Appointments ---------------------------------------------------------------------
        "appointment.none": 'You don\'t have an upcoming session with us. Reply "book" to find a time.',
        "appointment.next": "Your next session is {session}{place}.",
        "appointment.none_offer_booking": ("You don't have an upcoming session with us. Would you like to book one?"),
        "video.none": (
            "You don't have an upcoming session with us, so there's no video link yet. Reply \"book\" to find a time."
        ),
        "video.in_person": (
            "Your next session ({when}) is in person{place}, so there's no video link for it. "
            'If you\'d like to meet by video instead, reply "person" and our team will help.'
        ),
        "video.not_ready": (
            'Your next session is by video, but its link isn\'t ready yet. Reply "person" and our team will send it.'
        ),
        "video.link": (
            "Here's the video link for your session on {when}: {url}\n"
            "Open it a few minutes early to test your camera and sound."
        ),
        # --- Scheduling -------------------------------------------------------------------------
        "scheduling.no_clinician": (
            'I couldn\'t find which clinician you see. Reply "person" and our team will book you in.'
        ),
        "scheduling.no_openings_for": "I don't see openings for {wanted}.",
        "scheduling.that_time": "that time",
        "scheduling.next_times_instead": "These are the next open times:",
        "scheduling.next_times": "Here are the next open times{wanted}:",
        "scheduling.no_times": (
            'There are no open times in the next four weeks. Reply "person" and our team will find a time with you.'
        ),
        "scheduling.pick": "Reply with a number, or tell me a day or time that suits you better.",
        "scheduling.current_session": "Your next session is {session}.",
        "scheduling.move_or_book": "Happy to look. Is that to move your next session or to book a new one?",
        "scheduling.nothing_to_pick": (
            "I don't have any times waiting for you to pick. Would you like to move a session or book a new one?"
        ),
        "scheduling.which_one": "Sorry, which one? Reply with a number from 1 to {count}.",
        "scheduling.confirm_move": "Move your session from {old_time} to {new_time}?",
        "scheduling.confirm_book": "Book {when} {how}?",
        "scheduling.which_time": "Which time would you like? Reply with its number.",
        "scheduling.already_that_time": "Your session is already at {when}, so there was nothing to change.",
        "scheduling.what_else": "Great! What can I help you with?",
        "scheduling.cannot_change": ('That session can\'t be changed any more. Reply "person" and our team will help.'),
        "scheduling.moved": ("Done! Your session is now {session}. Your old time ({old_time}) has been released."),
        "scheduling.booked": "You're booked: {session}. See you then!",
        "scheduling.cannot_cancel": (
            'That session can\'t be cancelled any more. Reply "person" and our team will help.'
        ),
        "scheduling.late_fee": (
            " As it was inside our {window_hours}-hour window, a {fee} late-cancellation fee applies."
        ),
        "scheduling.cancelled": ("Your session on {when} is cancelled.{fee} Would you like to book a new time?"),
        "scheduling.keep_choosing": (
            "No problem, nothing has changed. Pick another number, or tell me a day or time that works better."
        ),
        "scheduling.cancel_kept": "Okay, your session stays as it is.",
        "scheduling.nothing_changed": ("Okay, nothing has changed. Tell me a day or time if you'd like other options."),
        "scheduling.anything_else": "Okay. Is there anything else I can help with?",
        "scheduling.confirm_cancel": "{details} Do you want to cancel it?",
        # The cancellation policy, quoted before a change (scheduling/policy.py; wording/policy.py).
        "policy.outside_window.cancel": (
            "Our policy asks for {notice}; this session is more than {window} away, so you can cancel at no charge."
        ),
        "policy.outside_window.reschedule": (
            "Our policy asks for {notice}; this session is more than {window} away, so you can reschedule at no charge."
        ),
        "policy.late_no_fee": (
            "Our policy asks for {notice}; this session is in less than {window}, but there is no late fee."
        ),
        "policy.late.cancel": (
            "Our policy asks for {notice}; because this session is in less than {window}, "
            "a {fee} late-cancellation fee applies."
        ),
        "policy.late.reschedule": (
            "Our policy asks for {notice}; because this session is in less than {window}, "
            "changes this close to the session may be subject to the {fee} late-cancellation fee."
        ),
        "policy.notice.one": "{count} hour's notice",
        "policy.notice.other": "{count} hours' notice",
        "session.by_video": "by video",
        "session.in_person": "in person",
        "session.with_clinician": " with {clinician}",
        "session.at_place": " at {place}",
        # --- Portal and billing -----------------------------------------------------------------
        "portal.help": (
            "Sorry you're locked out, that's frustrating. A few things that usually help:\n"
            "1. Use the email address we have on file for you.\n"
            "2. Try a private/incognito window, or clear your browser's cache.\n"
            '3. Use "Forgot password" on the sign-in page; the email can take a few minutes '
            "(check spam).\n"
            "Or sign in directly with this one-time link (valid for {minutes} minutes): {link}\n"
            "If you're still stuck, just tell me and I'll get a person to help."
        ),
        "billing.card_on_file": "The card on file ends in {last4}. ",
        "billing.link": (
            "{on_file}You can update your card on this secure page (valid for "
            "{minutes} minutes, one use): {link}\n"
            "Please never send card numbers in chat or by text."
        ),
        # --- Rasa's own responses (domain.yml must read exactly the same; tests check it) ------
        "domain.utter_greet": (
            "Hi! I'm the front desk assistant. I can move, cancel or book a session, send your video "
            "link, help with the client portal or update your card. What can I do for you?"
        ),
        "domain.utter_goodbye": "Take care! Message us here any time.",
        "domain.utter_youre_welcome": "You're welcome! Anything else I can help with?",
        "domain.utter_out_of_scope": (
            "I'm only able to help with the front desk: moving, cancelling or booking a session, your "
            "video link, the client portal and billing. I can't answer clinical or medication "
            'questions; please ask your clinician at your next session, or reply "person" and I\'ll '
            "pass your message to our team. If you are in crisis, call or text 988, or call 911 in an "
            "emergency."
        ),
        "button.reschedule": "Reschedule",
        "button.cancel": "Cancel",
        "button.video_link": "Video link",
        # --- Buttons ----------------------------------------------------------------------------
        "button.yes": "Yes",
        "button.no": "No",
        "button.move_my_session": "Move my session",
        "button.book_new": "Book a new one",
        "button.book_session": "Book a session",
        "button.talk_to_person": "Talk to a person",
        "button.clarify.reschedule_appointment": "Move a session",
        "button.clarify.cancel_appointment": "Cancel a session",
        "button.clarify.book_appointment": "Book a session",
        "button.clarify.appointment_info": "When is my session?",
        "button.clarify.telehealth_link": "Video link",
        "button.clarify.portal_login_help": "Portal sign-in help",
        "button.clarify.billing_update": "Update my card",
        "button.clarify.billing_question": "Billing question",
        # --- Link pages (HTML, not SMS: assistant/api/templates/links/, via `t(...)`) -------------
        "page.portal.title": "Sign in to the portal",
        "page.portal.continue_hint": "Press Continue to sign in to the client portal. This link works once.",
        "page.portal.continue": "Continue",
        "page.portal.signed_in_title": "You're signed in",
        "page.portal.signed_in": (
            "You're signed in to the client portal. You can now reset your password from your profile page."
        ),
        "page.card.title": "Update your card",
        "page.card.intro": "Enter your new card. We keep only the card type, last four digits and expiry.",
        "page.card.number": "Card number",
        "page.card.expiry": "Expiry (MM/YY)",
        "page.card.expiry_example": "08/28",
        "page.card.save": "Save card",
        "page.card.bad_number": "Please check the card number: 13 to 19 digits (spaces or dashes are fine).",
        "page.card.bad_expiry": "Please check the expiry: month and year as MM/YY, not in the past.",
        "page.card.saved_title": "Card saved",
        "page.card.saved": "Thanks! Your {brand} ending in {last4} is now on file.",
        "page.expired.title": "Link expired",
        "page.expired.body": "This link has expired or was already used. Message us and we'll send you a fresh one.",
        # --- SMS only -----------------------------------------------------------------------------
        "sms.help": (
            "{practice}: this number is our front desk assistant. Text to move, cancel or book a "
            "session, get your video link or portal help. Reply PERSON to reach our team, or call "
            "{phone}. In crisis, call or text 988; in an emergency call 911. Reply STOP to opt out."
        ),
        "sms.opted_in": "You're subscribed to {practice} texts again. Reply STOP to opt out, HELP for help.",
        "sms.no_text": (
            "Thanks! I can only read text, so please type your question. "
            "If you sent a picture, I've kept it for our team."
        ),
        "sms.slow_down": (
            "You're sending messages faster than I can answer. I've kept them all; please wait a "
            "minute before sending more. " + _SAFETY
        ),
        "sms.who_is_texting": (
            "This number is shared by more than one person on file. Who is texting? Reply {options}."
        ),
        "sms.who_again": "Sorry, I didn't catch that. Reply {options}.",
        "sms.identified": "Thanks, {first_name}! What can I help you with?",
        "sms.unknown_number": (
            "I can't match this number to our records, so I can't look up appointments by text. "
            "Reply PERSON to reach our team, or call {phone}."
        ),
        "sms.the_office": "the office",
    }
)
