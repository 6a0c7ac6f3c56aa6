"""`assistant say` and `assistant outbox`: the SMS channel from a terminal.

`say` signs a webhook exactly as Twilio would (RequestValidator, the practice's
public URL, the auth token) and posts it to the running gateway, then waits for
the replies the practice queued for that number, and prints them as the client's
phone shows them.

`outbox` is an operator's view, so it shows what reps see: one-time links and codes
masked.  Demo mode (no Twilio credentials) is the exception: nothing is really sent,
so it shows what would have been (the demo user's only way to read a code), as the
outbox has always done for codes.
"""

from __future__ import annotations

import secrets
import sys
import time

import httpx
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from assistant.config import Settings
from assistant.services.conversations import replies_after
from assistant.store.engine import session_scope
from assistant.store.models import Channel, Conversation, Direction, Message, MessageStatus, Practice


def twilio_form(*, from_number: str, to_number: str, body: str, account_sid: str) -> dict[str, str]:
    """The fields Twilio posts for an inbound SMS."""
    sid = "SM" + secrets.token_hex(16)
    return {
        "ToCountry": "US",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "SmsSid": sid,
        "SmsStatus": "received",
        "Body": body,
        "To": to_number,
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": account_sid or "AC" + "0" * 32,
        "From": from_number,
        "ApiVersion": "2010-04-01",
    }


def sign(settings: Settings, path: str, form: dict[str, str]) -> str:
    # RequestValidator's methods are unannotated; the signature is a base64 string.
    signature: str = RequestValidator(settings.twilio_auth_token).compute_signature(
        f"{settings.public_base_url}{path}", form
    )
    return signature


def say(settings: Settings, from_number: str, text: str, timeout: float = 90.0) -> int:
    with session_scope(settings.database_url) as session:
        practice = session.scalars(select(Practice).where(Practice.slug == settings.practice_slug)).first()
        if practice is None:
            print("error: no practice yet; run `assistant demo-data`", file=sys.stderr)
            return 1
        to_number = practice.phone_e164
        if to_number is None:
            print("error: the practice has no SMS number (phone_e164) to text", file=sys.stderr)
            return 1
    form = twilio_form(from_number=from_number, to_number=to_number, body=text, account_sid=settings.twilio_account_sid)
    url = f"http://127.0.0.1:{settings.port}/twilio/sms"
    try:
        response = httpx.post(
            url, data=form, headers={"X-Twilio-Signature": sign(settings, "/twilio/sms", form)}, timeout=30
        )
    except httpx.HTTPError:
        print(f"error: the gateway at {url} is not answering; start it with `make run`", file=sys.stderr)
        return 1
    if response.status_code != 200:
        print(f"error: gateway answered {response.status_code}: {response.text}", file=sys.stderr)
        return 1
    replies = wait_for_replies(settings, form["MessageSid"], timeout)
    for reply in replies:
        print(f"{to_number} > {reply}")
    if not replies:
        print("(no reply; the message was stored for the practice's team)")
    return 0


def wait_for_replies(settings: Settings, message_sid: str, timeout: float) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with session_scope(settings.database_url) as session:
            inbound = session.scalars(select(Message).where(Message.external_id == message_sid)).first()
            if inbound is not None and inbound.status is MessageStatus.PROCESSED:
                later = replies_after(session, inbound)
                return [delivered_text(message) for message in later]
        time.sleep(0.3)
    return []


def delivered_text(message: Message) -> str:
    """What the client's phone gets: their own copy when the text carries a secret."""
    return message.client_text or message.text


def outbox(settings: Settings, limit: int = 20) -> int:
    show_secrets = not settings.sends_real_sms  # demo: nothing left the machine
    with session_scope(settings.database_url) as session:
        rows = session.execute(
            select(Message, Conversation.address)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .where(Message.direction == Direction.OUTBOUND, Conversation.channel == Channel.SMS)
            .order_by(Message.id.desc())
            .limit(limit)
        ).all()
        if not rows:
            print("The outbox is empty.")
        for message, address in reversed(rows):
            when = message.created_at.strftime("%Y-%m-%d %H:%M:%S")
            error = f" error={message.error_code}" if message.error_code else ""
            text = delivered_text(message) if show_secrets else message.text
            preview = text if len(text) <= 70 else text[:67] + "..."
            print(f"{when}  to {address}  {message.status.value:<11} tries={message.attempts}{error}  {preview!r}")
    return 0
