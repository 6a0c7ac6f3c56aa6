"""`assistant call`: a whole phone call in the terminal, played as Twilio plays it.

The call is played against the running gateway (player.py: its TwiML, and the signed
webhooks Twilio would post); then the texts the practice sent the caller's number during the
call are printed, as the caller's phone shows them (the Zoom link, a voicemail confirmation).

`CallPlayer` needs only something with httpx's `post` (an httpx.Client on the running
gateway, or FastAPI's TestClient in-process), so tests can drive whole calls with it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.call_cli.caller import Caller, heard_fields, read_piped
from assistant.call_cli.player import DIAL_STATUS, CallPlayer, GatewayDown, GatewayError, PlayError, Webhook
from assistant.config import DEMO_TWILIO_ACCOUNT_SID, Settings
from assistant.sms_cli import delivered_text
from assistant.store.engine import session_scope
from assistant.store.models import Channel, Conversation, Direction, Message, Practice

__all__ = [
    "DIAL_STATUS",
    "CallPlayer",
    "Caller",
    "GatewayDown",
    "GatewayError",
    "PlayError",
    "Webhook",
    "call",
    "heard_fields",
    "latest_message_id",
    "texts_since",
]


def latest_message_id(session: Session) -> int:
    return session.scalar(select(func.max(Message.id))) or 0


def texts_since(session: Session, practice_id: int, number: str, after_id: int) -> list[str]:
    """The practice's texts to `number` after message `after_id`, as that phone shows them."""
    messages = session.scalars(
        select(Message)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(
            Conversation.practice_id == practice_id,
            Conversation.channel == Channel.SMS,
            Conversation.address == number,
            Message.direction == Direction.OUTBOUND,
            Message.id > after_id,
        )
        .order_by(Message.id)
    )
    return [delivered_text(message) for message in messages]


def call(
    settings: Settings,
    from_number: str,
    *,
    script: Sequence[str] | None = None,
    to_number: str | None = None,
    dial: str = "no-answer",
    hang_up_after: int | None = None,
) -> int:
    with session_scope(settings.database_url) as session:
        practice = session.scalars(select(Practice).where(Practice.slug == settings.practice_slug)).first()
        if practice is None:
            print("error: no practice yet; run `assistant demo-data`", file=sys.stderr)
            return 1
        practice_id, practice_number = practice.id, practice.phone_e164
        since = latest_message_id(session)
    to_number = to_number or practice_number
    if to_number is None:
        print("error: the practice has no phone number (phone_e164) to call; pass --to", file=sys.stderr)
        return 1
    url = f"http://127.0.0.1:{settings.port}"
    read = input if sys.stdin.isatty() else read_piped
    with httpx.Client(base_url=url, timeout=60) as http:
        player = CallPlayer(
            http,
            Caller(script, hang_up_after=hang_up_after, read=read),
            public_base_url=settings.public_base_url,
            auth_token=settings.twilio_auth_token,
            account_sid=settings.twilio_account_sid or DEMO_TWILIO_ACCOUNT_SID,
            from_number=from_number,
            to_number=to_number,
            dial=dial,
        )
        try:
            player.play()
        except GatewayDown:
            print(f"error: the gateway at {url} is not answering; start it with `make run`", file=sys.stderr)
            return 1
        except (GatewayError, PlayError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    with session_scope(settings.database_url) as session:
        texts = texts_since(session, practice_id, from_number, since)
    print("texts to your phone:" if texts else "(no texts to your phone)")
    sender = settings.twilio_from_number or practice_number
    for body in texts:
        print(f"  {sender} > {body}")
    return 0
