"""Everything said to a client goes through here, whoever says it (bot, rep, system).

Web chat messages are delivered when the widget reads them; SMS messages wait
in the outbox (status `queued`) for the sender, which retries them with backoff; a
call's replies wait (`queued`) for the call's next TwiML (channels/voice), worded for
the ear, and a link in one is texted to the client's mobile instead of read out.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.services.secret_masking import split_for_reps
from assistant.store.models import (
    Author,
    Channel,
    Conversation,
    Direction,
    Message,
    MessageStatus,
    SmsOptOut,
    utcnow,
)
from assistant.wording.catalog import text as wording
from assistant.wording.sms_render import render_for_sms
from assistant.wording.sms_segments import segment_count, split_message
from assistant.wording.voice_render import LINK, speak, zone_words


def send_to_client(
    session: Session,
    conversation: Conversation,
    text: str,
    *,
    author: Author,
    request_id: str | None = None,
    buttons: list[dict[str, str]] | None = None,
    is_code: bool = False,
) -> Message:
    """Record (web) or queue (SMS) a message to the client; returns the (first) message.

    A text carrying a secret (a one-time link, or a one-time code: `is_code`) is stored
    twice: `text` masked, for everything reps see, and `client_text` for the client's own
    delivery.  An SMS copy is blanked once Twilio has accepted it (see the outbox).
    """
    now = utcnow()
    practice = conversation.practice
    if conversation.channel is Channel.VOICE:
        return _queue_for_call(session, conversation, text, author=author, request_id=request_id, buttons=buttons)
    if conversation.channel is not Channel.SMS:
        split = split_for_reps(session, practice, text, is_code=is_code, now=now)
        message = Message(
            conversation_id=conversation.id,
            direction=Direction.OUTBOUND,
            author=author,
            text=split.rep_text,
            client_text=split.client_text,
            buttons=buttons or None,
            request_id=request_id,
            created_at=now,
            status=MessageStatus.SENT,
        )
        session.add(message)
        session.flush()
        return message
    # A phone shows plain text: buttons become words to reply with, and a long reply
    # becomes several texts split at sentence boundaries.  The delivered text is split
    # (and its segments counted); each part is masked on its own.
    parts: list[Message] = []
    for part in split_message(render_for_sms(text, buttons)):
        split = split_for_reps(session, practice, part, is_code=is_code, now=now)
        parts.append(
            Message(
                conversation_id=conversation.id,
                direction=Direction.OUTBOUND,
                author=author,
                text=split.rep_text,
                client_text=split.client_text,
                redact_after_send=split.client_text is not None,
                request_id=request_id,
                created_at=now,
                status=MessageStatus.QUEUED,
                next_attempt_at=now,
                segments=segment_count(part),
            )
        )
    session.add_all(parts)
    session.flush()
    return parts[0]


def sms_conversation_for(session: Session, practice_id: int, phone_e164: str) -> Conversation:
    """The practice's SMS conversation with this number (the latest one), created if none."""
    conversation = session.scalars(
        select(Conversation)
        .where(
            Conversation.practice_id == practice_id,
            Conversation.channel == Channel.SMS,
            Conversation.address == phone_e164,
        )
        .order_by(Conversation.created_at.desc())
    ).first()
    if conversation is None:
        conversation = Conversation(practice_id=practice_id, channel=Channel.SMS, address=phone_e164)
        session.add(conversation)
        session.flush()
    return conversation


def send_sms(
    session: Session,
    practice_id: int,
    to_e164: str,
    text: str,
    *,
    author: Author = Author.SYSTEM,
    request_id: str | None = None,
    secret: bool = False,
) -> Message:
    """Text a number outside a client-initiated turn (one-time codes, on-call alerts).
    A `secret` text (a one-time code) is masked whole for reps, and the client's copy is
    not kept once Twilio has accepted it."""
    conversation = sms_conversation_for(session, practice_id, to_e164)
    return send_to_client(session, conversation, text, author=author, request_id=request_id, is_code=secret)


def _queue_for_call(
    session: Session,
    conversation: Conversation,
    text: str,
    *,
    author: Author,
    request_id: str | None,
    buttons: list[dict[str, str]] | None,
) -> Message:
    """A reply for the caller's ear, queued for the call's next TwiML.  Stored as spoken
    (what the caller heard is what reps read); its buttons are kept for the keypad."""
    note = ""
    if LINK.search(text):
        note = wording("voice.link_texted") if _text_link(session, conversation, text, request_id) else ""
        note = note or wording("voice.link_not_texted")
    zone, now = ZoneInfo(conversation.practice.timezone), utcnow()
    spoken = speak(text, buttons, link_note=note, today=now.astimezone(zone).date(), zone=zone_words(zone, now))
    message = Message(
        conversation_id=conversation.id,
        direction=Direction.OUTBOUND,
        author=author,
        text=spoken.text,
        buttons=buttons or None,
        request_id=request_id,
        created_at=utcnow(),
        status=MessageStatus.QUEUED,
    )
    session.add(message)
    session.flush()
    return message


def _text_link(session: Session, conversation: Conversation, text: str, request_id: str | None) -> bool:
    """Text a reply carrying a link to the verified caller's mobile on file, if they agreed
    to texts and have not opted out; False if it cannot be texted."""
    client, practice = conversation.client, conversation.practice
    if client is None or not client.mobile_e164 or not client.sms_consent:
        return False
    if session.get(SmsOptOut, (practice.id, client.mobile_e164)) is not None:
        return False
    body = wording("sms.call_link", practice=practice.name, text=text)
    send_sms(session, practice.id, client.mobile_e164, body, author=Author.BOT, request_id=request_id)
    return True
