"""Texts carrying a one-time link or code: the phone gets the client's copy, the store keeps
only the masked one once Twilio has accepted it (demo mode keeps the copy: nothing was sent),
and the operator's `assistant outbox` shows what reps see."""

from __future__ import annotations

import re

from sqlalchemy import select

from assistant.channels.sms.outbox import REDACTED_SECRET, Outbox
from assistant.channels.sms.twilio_api import TwilioSender
from assistant.config import Settings
from assistant.conversation.outbound import send_sms
from assistant.services.links import issue_link
from assistant.services.secret_masking import CODE_MASK
from assistant.sms_cli import outbox as print_outbox
from assistant.store.engine import session_scope
from assistant.store.models import (
    Author,
    Channel,
    Client,
    Conversation,
    Direction,
    LinkPurpose,
    Message,
    MessageStatus,
    Practice,
    utcnow,
)
from tests.support.fake_twilio import Failure

CLIENT = "+15555550123"
CODE_TEXT = "Your Lakeside Counseling verification code is 424242. It expires in 10 minutes."


def _queue_link_text(database_url: str) -> tuple[int, str]:
    with session_scope(database_url) as session:
        practice = session.scalars(select(Practice)).first()
        client = session.scalars(select(Client).where(Client.mobile_e164 == CLIENT)).first()
        link = issue_link(
            session,
            client=client,
            practice=practice,
            purpose=LinkPurpose.PORTAL_SIGN_IN,
            public_base_url="https://frontdesk.lakeside.example",
            ttl_minutes=30,
        )
        message = send_sms(session, practice.id, CLIENT, f"Sign in with this one-time link: {link}", author=Author.BOT)
        return message.id, link


def _queue_code(database_url: str) -> int:
    with session_scope(database_url) as session:
        practice = session.scalars(select(Practice)).first()
        return send_sms(session, practice.id, CLIENT, CODE_TEXT, secret=True).id


def _message(database_url: str, message_id: int) -> Message:
    with session_scope(database_url) as session:
        return session.get(Message, message_id)


def _demo_settings(database_url: str) -> Settings:
    return Settings(assistant_env="test", database_url=database_url)


def test_the_phone_gets_the_link_and_the_store_forgets_it_once_accepted(
    sms_settings, database_url, fake_twilio
) -> None:
    message_id, link = _queue_link_text(database_url)
    queued = _message(database_url, message_id)
    assert queued.redact_after_send and queued.client_text and link in queued.client_text
    assert link not in queued.text and "[one-time sign-in link sent, expires" in queued.text
    Outbox(TwilioSender(sms_settings), database_url).run_once()
    (sent,) = fake_twilio.sent_to(CLIENT)
    assert sent.form["Body"] == f"Sign in with this one-time link: {link}"
    delivered = _message(database_url, message_id)
    assert delivered.external_id and delivered.client_text is None
    assert delivered.text == queued.text  # the masked copy stays for the transcript


def test_a_code_is_delivered_and_reps_only_ever_see_the_mask(sms_settings, database_url, fake_twilio) -> None:
    message_id = _queue_code(database_url)
    assert _message(database_url, message_id).text == CODE_MASK
    Outbox(TwilioSender(sms_settings), database_url).run_once()
    assert fake_twilio.sent_to(CLIENT)[0].form["Body"] == CODE_TEXT
    assert (_message(database_url, message_id).text, _message(database_url, message_id).client_text) == (
        CODE_MASK,
        None,
    )


def test_a_text_that_cannot_be_delivered_keeps_no_secret(sms_settings, database_url, fake_twilio) -> None:
    fake_twilio.fail_next(Failure(status=400, code=21211))  # invalid number: permanent
    message_id = _queue_code(database_url)
    Outbox(TwilioSender(sms_settings), database_url).run_once()
    failed = _message(database_url, message_id)
    assert failed.status is MessageStatus.FAILED and failed.client_text is None and failed.text == CODE_MASK


def test_a_secret_queued_before_masking_existed_is_still_blanked(sms_settings, database_url, fake_twilio) -> None:
    with session_scope(database_url) as session:
        practice = session.scalars(select(Practice)).first()
        conversation = Conversation(practice_id=practice.id, channel=Channel.SMS, address=CLIENT)
        session.add(conversation)
        session.flush()
        legacy = Message(
            conversation_id=conversation.id,
            direction=Direction.OUTBOUND,
            author=Author.SYSTEM,
            text=CODE_TEXT,
            redact_after_send=True,
            status=MessageStatus.QUEUED,
            next_attempt_at=utcnow(),
            segments=1,
        )
        session.add(legacy)
        session.flush()
        legacy_id = legacy.id
    Outbox(TwilioSender(sms_settings), database_url).run_once()
    assert fake_twilio.sent_to(CLIENT)[0].form["Body"] == CODE_TEXT
    assert _message(database_url, legacy_id).text == REDACTED_SECRET


def test_demo_mode_keeps_the_clients_copy_for_the_outbox_command(database_url, capsys) -> None:
    demo = _demo_settings(database_url)
    assert not demo.sends_real_sms
    message_id = _queue_code(database_url)
    Outbox(TwilioSender(demo), database_url).run_once()
    kept = _message(database_url, message_id)
    assert kept.external_id and kept.client_text == CODE_TEXT and kept.text == CODE_MASK
    print_outbox(demo)
    assert "424242" in capsys.readouterr().out  # demo: the only place to read the code


def test_the_outbox_command_shows_reps_view_when_texts_really_go_out(sms_settings, database_url, capsys) -> None:
    message_id = _queue_code(database_url)  # still queued: the client's copy is still stored
    assert _message(database_url, message_id).client_text == CODE_TEXT
    print_outbox(sms_settings)
    out = capsys.readouterr().out
    assert "424242" not in out and CODE_MASK in out
    assert not re.search(r"\b\d{6}\b", out)
