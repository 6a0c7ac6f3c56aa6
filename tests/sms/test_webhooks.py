"""Inbound texts through the signed webhook: who may post, what is kept, what is answered."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from assistant.sms_cli import twilio_form
from assistant.store.engine import session_scope
from assistant.store.models import (
    Conversation,
    Direction,
    HandoffReason,
    HandoffTicket,
    Message,
    MessageStatus,
    SmsOptOut,
)
from tests.support.sms_gateway import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    PRACTICE_NUMBER,
    PUBLIC_BASE_URL,
    Texter,
)

UNKNOWN = "+15555559876"
JORDAN = "+15555550123"
FAMILY = "+15555550130"  # Taylor and Riley Brooks share it


def count(database_url: str, *where) -> int:  # noqa: ANN002
    with session_scope(database_url) as session:
        return session.scalar(select(func.count()).select_from(Message).where(*where))


def outbound_texts(database_url: str, number: str) -> list[str]:
    with session_scope(database_url) as session:
        return list(
            session.scalars(
                select(Message.text)
                .join(Conversation, Conversation.id == Message.conversation_id)
                .where(Conversation.address == number, Message.direction == Direction.OUTBOUND)
                .order_by(Message.id)
            )
        )


def tickets(database_url: str, number: str) -> list[HandoffReason]:
    with session_scope(database_url) as session:
        return list(
            session.scalars(
                select(HandoffTicket.reason)
                .join(Conversation, Conversation.id == HandoffTicket.conversation_id)
                .where(Conversation.address == number)
            )
        )


def opted_out(database_url: str, number: str) -> SmsOptOut | None:
    with session_scope(database_url) as session:
        return session.scalars(select(SmsOptOut).where(SmsOptOut.phone_e164 == number)).first()


def test_signed_text_is_acknowledged_at_once_with_empty_twiml(texter: Texter, database_url: str) -> None:
    form = twilio_form(from_number=UNKNOWN, to_number=PRACTICE_NUMBER, body="hi", account_sid=ACCOUNT_SID)
    response = texter.post(form)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    assert response.text.endswith("<Response></Response>")
    assert count(database_url, Message.external_id == form["MessageSid"]) == 1


@pytest.mark.parametrize(
    "how", ["unsigned", "wrong signature", "tampered url", "tampered params", "signed with another token"]
)
def test_unsigned_or_tampered_webhooks_are_403_and_change_nothing(texter: Texter, database_url: str, how: str) -> None:
    from twilio.request_validator import RequestValidator

    form = twilio_form(from_number=UNKNOWN, to_number=PRACTICE_NUMBER, body="hi", account_sid=ACCOUNT_SID)
    before = count(database_url)
    if how == "unsigned":
        response = texter.gateway.post("/twilio/sms", data=form)
    elif how == "wrong signature":
        response = texter.post(form, signature="bm90IGEgc2lnbmF0dXJl")
    elif how == "tampered url":
        response = texter.post(form, signed_url="https://evil.example/twilio/sms")
    elif how == "tampered params":
        signature = RequestValidator(AUTH_TOKEN).compute_signature(f"{PUBLIC_BASE_URL}/twilio/sms", form)
        response = texter.post({**form, "Body": "something else"}, signature=signature)
    else:
        signature = RequestValidator("another-token").compute_signature(f"{PUBLIC_BASE_URL}/twilio/sms", form)
        response = texter.post(form, signature=signature)
    assert response.status_code == 403
    assert count(database_url) == before


def test_malformed_webhooks_are_4xx(texter: Texter) -> None:
    form = twilio_form(from_number="not-a-number", to_number=PRACTICE_NUMBER, body="hi", account_sid=ACCOUNT_SID)
    assert texter.post(form).status_code == 400
    no_sid = {
        k: v
        for k, v in twilio_form(
            from_number=UNKNOWN, to_number=PRACTICE_NUMBER, body="hi", account_sid=ACCOUNT_SID
        ).items()
        if "Sid" not in k
    }
    assert texter.post(no_sid).status_code == 400
    assert texter.gateway.post("/twilio/sms", json={"Body": "hi"}).status_code == 415


def test_redelivered_message_sid_is_processed_once(texter: Texter, database_url: str) -> None:
    form = texter.text(UNKNOWN, "hello there")
    texter.settle()
    for _ in range(3):  # Twilio retrying the same webhook
        assert texter.post(form, headers={"I-Twilio-Idempotency-Token": "retry-token-1"}).status_code == 200
    texter.settle()
    assert count(database_url, Message.external_id == form["MessageSid"]) == 1
    assert len(outbound_texts(database_url, UNKNOWN)) == 1


def test_idempotency_token_alone_deduplicates(texter: Texter, database_url: str) -> None:
    token = {"I-Twilio-Idempotency-Token": "tok-42"}
    first = twilio_form(from_number=UNKNOWN, to_number=PRACTICE_NUMBER, body="hi", account_sid=ACCOUNT_SID)
    second = twilio_form(from_number=UNKNOWN, to_number=PRACTICE_NUMBER, body="hi", account_sid=ACCOUNT_SID)
    assert texter.post(first, headers=token).status_code == 200
    assert texter.post(second, headers=token).status_code == 200
    assert count(database_url, Message.direction == Direction.INBOUND) == 1


@pytest.mark.parametrize("keyword", ["STOP", "stop", "STOPALL", "Unsubscribe", "END", "quit."])
def test_opt_out_keywords_record_and_silence(texter: Texter, database_url: str, fake_twilio, keyword: str) -> None:
    texter.text(JORDAN, keyword)
    texter.settle()
    record = opted_out(database_url, JORDAN)
    assert record is not None and record.source == "keyword"
    texter.text(JORDAN, "when is my appointment")
    texter.settle()
    assert outbound_texts(database_url, JORDAN) == []
    assert fake_twilio.sent_to(JORDAN) == []


@pytest.mark.parametrize("keyword", ["START", "unstop", "YES"])
def test_opt_in_keywords_resubscribe(texter: Texter, database_url: str, fake_twilio, keyword: str) -> None:
    texter.text(JORDAN, "STOP")
    texter.settle()
    texter.text(JORDAN, keyword)
    texter.settle()
    assert opted_out(database_url, JORDAN) is None
    (reply,) = outbound_texts(database_url, JORDAN)
    assert "subscribed to Lakeside Counseling texts again" in reply
    assert len(fake_twilio.sent_to(JORDAN)) == 1


def test_yes_is_an_ordinary_answer_when_not_opted_out(texter: Texter, database_url: str) -> None:
    texter.text(JORDAN, "yes")
    texter.settle()
    assert "subscribed" not in " ".join(outbound_texts(database_url, JORDAN))


@pytest.mark.parametrize("keyword", ["HELP", "info"])
def test_help_says_who_we_are_how_to_reach_a_person_and_988(texter: Texter, database_url: str, keyword: str) -> None:
    texter.text(UNKNOWN, keyword)
    texter.settle()
    (reply,) = outbound_texts(database_url, UNKNOWN)
    assert "Lakeside Counseling" in reply and "988" in reply and "PERSON" in reply and "STOP" in reply


def test_single_word_cancel_is_not_an_opt_out(texter: Texter, database_url: str) -> None:
    texter.text(JORDAN, "CANCEL")
    texter.settle()
    assert opted_out(database_url, JORDAN) is None
    # It went to the dialogue model (down in this test, so a person takes over).
    assert tickets(database_url, JORDAN) == [HandoffReason.REPEATED_FAILURE]


def test_twilio_reported_opt_out_for_cancel_is_recorded_and_shown_to_reps(texter: Texter, database_url: str) -> None:
    texter.text(JORDAN, "CANCEL", OptOutType="STOP")
    texter.settle()
    record = opted_out(database_url, JORDAN)
    assert record is not None and record.source == "twilio" and record.keyword == "CANCEL"
    assert HandoffReason.SMS_OPT_OUT in tickets(database_url, JORDAN)


def test_media_only_text_gets_a_polite_reply_and_the_media_is_kept(texter: Texter, database_url: str) -> None:
    texter.text(JORDAN, "", NumMedia="1", MediaUrl0="https://api.twilio.com/media/ME1", MediaContentType0="image/jpeg")
    texter.settle()
    (reply,) = outbound_texts(database_url, JORDAN)
    assert "only read text" in reply
    with session_scope(database_url) as session:
        inbound = session.scalars(select(Message).where(Message.direction == Direction.INBOUND)).one()
        assert inbound.media == [{"url": "https://api.twilio.com/media/ME1", "content_type": "image/jpeg"}]
        assert inbound.status is MessageStatus.PROCESSED


def test_shared_number_asks_who_is_texting(texter: Texter, database_url: str) -> None:
    texter.text(FAMILY, "hi can i move my appt")
    texter.settle()
    (question,) = outbound_texts(database_url, FAMILY)
    assert "Who is texting" in question and "1 for Taylor" in question and "2 for Riley" in question
    texter.text(FAMILY, "2")
    texter.settle()
    assert outbound_texts(database_url, FAMILY)[-1] == "Thanks, Riley! What can I help you with?"
    with session_scope(database_url) as session:
        conversation = session.scalars(select(Conversation).where(Conversation.address == FAMILY)).one()
        assert conversation.client.first_name == "Riley"


def test_known_number_is_that_client(texter: Texter, database_url: str) -> None:
    texter.text(JORDAN, "hello")
    texter.settle()
    with session_scope(database_url) as session:
        conversation = session.scalars(select(Conversation).where(Conversation.address == JORDAN)).one()
        assert conversation.client.first_name == "Jordan"


def test_flooding_number_is_rate_limited_without_delaying_others(texter: Texter, database_url: str) -> None:
    for n in range(11):
        texter.text(UNKNOWN, f"message number {n}")
    texter.text(JORDAN, "hello from someone else")
    texter.settle()
    replies = outbound_texts(database_url, UNKNOWN)
    assert sum("faster than I can answer" in reply for reply in replies) == 1
    assert (
        count(database_url, Message.direction == Direction.INBOUND, Message.status == MessageStatus.RECEIVED) == 0
    )  # all kept and handled
    assert outbound_texts(database_url, JORDAN)  # the other number was answered


def test_outbound_request_is_what_twilio_expects(texter: Texter, fake_twilio) -> None:
    texter.text(UNKNOWN, "INFO")
    texter.settle()
    (request,) = fake_twilio.sent_to(UNKNOWN)
    assert request.path == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    assert (request.account_sid, request.auth_token) == (ACCOUNT_SID, AUTH_TOKEN)
    assert request.form["From"] == PRACTICE_NUMBER
    assert request.form["StatusCallback"] == f"{PUBLIC_BASE_URL}/twilio/status"
    assert "Lakeside Counseling" in request.form["Body"]
