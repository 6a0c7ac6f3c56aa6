"""Context the way a person keeps it (issue 12), through the web chat API with the real
model and servers: promises kept, changes of mind, picks in natural words, questions in
passing, two requests in one message.  Each test makes its own client."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from assistant.store.engine import session_scope
from assistant.store.models import Appointment, AppointmentStatus, Client, HandoffReason, HandoffTicket, utcnow
from tests.support.clients import CHRIS

MOVED_OR_BOOKED = (AppointmentStatus.BOOKED, AppointmentStatus.RESCHEDULED)


def _tickets(database_url: str, conversation_id: str) -> list[HandoffReason]:
    with session_scope(database_url) as session:
        return [
            ticket.reason
            for ticket in session.scalars(select(HandoffTicket).where(HandoffTicket.conversation_id == conversation_id))
        ]


def _appointments(database_url: str, client_id: int) -> list[tuple[int, AppointmentStatus]]:
    """The client's upcoming sessions (any status), oldest first."""
    with session_scope(database_url) as session:
        client = session.get(Client, client_id)
        rows = session.scalars(
            select(Appointment)
            .where(Appointment.client_id == client.id, Appointment.starts_at > utcnow())
            .order_by(Appointment.id)
        )
        return [(row.id, row.status) for row in rows]


def _text(replies: list[dict]) -> str:
    return "\n".join(reply["text"] for reply in replies)


def _payloads(replies: list[dict]) -> list[str]:
    return [button["payload"] for reply in replies for button in reply.get("buttons", [])]


def _offered(replies: list[dict]) -> list[str]:
    return [
        button["title"]
        for reply in replies
        for button in reply.get("buttons", [])
        if button["payload"].startswith("/choose_option")
    ]


# --- 1. A promise kept ----------------------------------------------------------------------


@pytest.mark.parametrize("still", ["still doesnt work", "tried that, still not working", "same problem"])
def test_still_stuck_after_portal_help_reaches_a_person(stack, open_chat, new_client, still: str) -> None:
    chat = open_chat(*new_client().identity)
    assert "still stuck, just tell me" in chat.say("i cant log into the portal")
    reply = chat.say(still)
    assert "asked our front desk team" in reply and "didn't quite get that" not in reply
    assert chat.state == "handoff_pending"
    assert _tickets(stack.database_url, chat.session_id) == [HandoffReason.PORTAL_HELP]


def test_a_figure_of_speech_about_the_portal_gets_portal_help_not_the_crisis_protocol(
    stack, open_chat, new_client
) -> None:
    # Issue 12's false alarm: the screen clears it, and the model reads the task.
    chat = open_chat(*new_client().identity)
    reply = chat.say("ugh this portal is killing me")
    assert "still stuck, just tell me" in reply, reply
    assert "988" not in reply and "are you safe" not in reply.lower(), reply
    assert chat.state == "bot"
    assert _tickets(stack.database_url, chat.session_id) == []


def test_a_link_that_did_not_work_can_be_sent_again_or_a_person(stack, open_chat, new_client) -> None:
    chat = open_chat(*new_client().identity)
    assert "zoom.us" in chat.say("can you send me the zoom link")
    replies = chat.send("that link didnt work")
    assert _payloads(replies) == ["/telehealth_link", "/request_human"], _text(replies)
    assert "zoom.us" in chat.say("/telehealth_link")  # the button sends it again
    assert _tickets(stack.database_url, chat.session_id) == []


# --- 2. Changes of mind ---------------------------------------------------------------------


def test_actually_cancel_it_mid_reschedule_cancels_that_session(stack, open_chat, new_client) -> None:
    own = new_client(CHRIS)  # outside the cancellation window: no fee to confirm
    chat = open_chat(*own.identity)
    (session_id, _), *_ = _appointments(stack.database_url, own.id)
    assert _offered(chat.send("can i move my appt"))
    reply = chat.say("actually you know what, just cancel it")
    assert "cancel it?" in reply, reply
    done = chat.say("yes")
    assert "is cancelled" in done and "Which time would you like" not in done
    assert dict(_appointments(stack.database_url, own.id))[session_id] is AppointmentStatus.CANCELLED


def test_keep_the_old_time_mid_reschedule_changes_nothing_and_clears_the_offer(stack, open_chat, new_client) -> None:
    own = new_client()
    chat = open_chat(*own.identity)
    before = _appointments(stack.database_url, own.id)
    assert _offered(chat.send("i need to reschedule"))
    assert "Move your session" in chat.say("2")
    reply = chat.say("wait, keep the old time")
    assert "Nothing has changed" in reply, reply
    later = chat.say("yes")
    assert "Which time would you like" not in later and "Done" not in later
    assert "Move your session" not in chat.say("2")  # the old offer is gone
    assert _appointments(stack.database_url, own.id) == before


def test_never_mind_book_a_new_one_instead_switches_to_booking(stack, open_chat, new_client) -> None:
    own = new_client()
    chat = open_chat(*own.identity)
    before = _appointments(stack.database_url, own.id)
    assert _offered(chat.send("can we move my session"))
    replies = chat.send("never mind, book a new one instead")
    assert _offered(replies), _text(replies)
    assert "Book " in chat.say("1")
    assert "You're booked" in chat.say("yes")
    after = _appointments(stack.database_url, own.id)
    assert after[: len(before)] == before and len(after) == len(before) + 1  # the old one untouched


def test_a_change_of_mind_during_the_identity_check_is_the_task_resumed(stack, open_chat, new_client) -> None:
    own = new_client(CHRIS)
    chat = open_chat()
    assert "full name" in chat.say("i want to move my appointment")
    assert "cancelling your session instead" in chat.say("actually just cancel it")
    assert "date of birth" in chat.say(own.name)
    reply = chat.say(own.date_of_birth.strftime("%m/%d/%Y"))
    assert "you're verified" in reply and "cancel it?" in reply, reply
    assert chat.state == "bot" and "trouble" not in reply
    assert "is cancelled" in chat.say("yes")


# --- 3. Picks in natural words --------------------------------------------------------------


def test_picks_in_natural_words_and_none_of_those(stack, open_chat, new_client) -> None:
    chat = open_chat(*new_client().identity)
    first = _offered(chat.send("i'd like to book a session"))
    assert len(first) == 3
    assert first[0] in chat.say("the first one")
    assert "Pick another number" in chat.say("no")  # back to choosing from the same times
    assert first[-1] in chat.say("the last one")
    assert "Pick another number" in chat.say("no")
    second = chat.send("none of those work")
    again = _offered(second)
    assert again and not set(again) & set(first), _text(second)
    reply = chat.say("nope, none of those work either")
    assert "find a time that works" in reply and chat.state == "handoff_pending"


def test_a_new_preference_in_the_middle_of_an_offer_reoffers(stack, open_chat, new_client) -> None:
    chat = open_chat(*new_client().identity)
    assert _offered(chat.send("need to reschedule"))
    replies = chat.send("anything in the evening?")
    assert "evening" in _text(replies).lower()
    for title in _offered(replies):
        clock, zone = title.split(", ")[1].rsplit(" ", 1)  # "Thu Dec 3, 5:00 PM ET"
        hour, meridiem = clock.split(":")[0], clock.split()[-1]
        assert meridiem == "PM" and int(hour) >= 5 and zone == "ET", title


# --- 4. Digressions -------------------------------------------------------------------------


def test_is_that_by_video_mid_offer_is_answered_and_the_offer_stands(stack, open_chat, new_client) -> None:
    chat = open_chat(*new_client().identity)
    offered = _offered(chat.send("can i reschedule"))
    assert len(offered) >= 2
    replies = chat.send("is that by video?")
    assert "by video" in _text(replies) and _offered(replies) == offered, _text(replies)
    confirm = chat.say("2")
    assert "Move your session" in confirm and offered[1] in confirm


def test_whats_the_fee_again_mid_offer_is_answered_and_the_offer_stands(stack, open_chat, new_client) -> None:
    chat = open_chat(*new_client().identity)
    offered = _offered(chat.send("i want to book a session"))
    assert len(offered) >= 2
    replies = chat.send("what's the fee again?")
    text = _text(replies)
    assert "$" in text and "Back to the times" in text and _offered(replies) == offered, text
    assert chat.state == "bot"
    confirm = chat.say("2")
    assert "Book " in confirm and offered[1] in confirm


# --- 5. Two requests in one message ---------------------------------------------------------


def test_cancel_and_book_in_one_message_does_both_in_order(stack, open_chat, new_client) -> None:
    own = new_client(CHRIS)
    chat = open_chat(*own.identity)
    (session_id, _), *_ = _appointments(stack.database_url, own.id)
    assert "cancel it?" in chat.say("cancel my appointment and book me next week")
    replies = chat.send("yes")
    text = _text(replies)
    assert "is cancelled" in text and "Now, booking" in text and _offered(replies), text
    assert text.index("is cancelled") < text.index("Now, booking")
    assert dict(_appointments(stack.database_url, own.id))[session_id] is AppointmentStatus.CANCELLED


def test_move_and_send_the_link_in_one_message(stack, open_chat, new_client) -> None:
    chat = open_chat(*new_client().identity)
    assert _offered(chat.send("can you move my session and also send the zoom link"))
    assert "Move your session" in chat.say("1")
    done = chat.say("yes")
    assert "Done!" in done and "Now, your video link" in done and "zoom.us" in done
    assert done.index("Done!") < done.index("zoom.us")
