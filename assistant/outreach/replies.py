"""A client's text answering an outreach text (sent within the last 48 hours).

A reminder or booking confirmation says "Reply C to confirm, R to reschedule, X to cancel"
(and, for video, "Reply LINK"): those keywords are answered here, about THAT session —
C confirms it, LINK texts its video link, R and X start the dialogue model's reschedule or
cancel flow (the actions find the reminded session through services/outreach_replies.py).
A reply about a session that was meanwhile moved or cancelled gets an honest answer.  Any
other text goes to the dialogue model as usual; the first reply is recorded on the job.

Runs after the SMS keywords (STOP stays first) and after the number identified the client:
an unknown number never had an outreach text and changes nothing here.
"""

from __future__ import annotations

import datetime as dt
import enum
import re

from assistant.conversation.turn import Inbound
from assistant.logs import get_logger
from assistant.services.appointment_confirmation import confirm
from assistant.services.appointments import format_slot
from assistant.services.outreach_replies import ReplyContext, Standing, mark_replied, reply_context
from assistant.store.models import Appointment, Modality, utcnow
from assistant.wording.catalog import text

log = get_logger("outreach.replies")


class Reply(enum.Enum):
    CONFIRM = "confirm"
    RESCHEDULE = "reschedule"
    CANCEL = "cancel"
    LINK = "link"


KEYWORDS = {"c": Reply.CONFIRM, "confirm": Reply.CONFIRM, "r": Reply.RESCHEDULE, "x": Reply.CANCEL, "link": Reply.LINK}
# A first answer to "Reply C to confirm" that plainly means C.  Only as the FIRST answer: a
# later "yes" answers whatever the bot asked meanwhile ("Move your session to ...?").
CONFIRMING_FIRST_REPLIES = frozenset(
    {"yes", "y", "yes see you then", "see you then", "yes ill be there", "ill be there", "yes thanks", "confirmed"}
)
# What the dialogue model is sent instead of R / X: its own intents (domain.yml).
FOR_BOT = {Reply.RESCHEDULE: "/reschedule_appointment", Reply.CANCEL: "/cancel_appointment"}
BOOK_INTENT = "/book_appointment"

_NOT_WORDS = re.compile(r"[^a-z0-9 ]+")


def classify(body: str, *, first_reply: bool) -> Reply | None:
    """The keyword a reminder's answer is, if it is one."""
    words = " ".join(_NOT_WORDS.sub("", body.lower().replace("\u2019", "'").replace("'", "")).split())
    if words in KEYWORDS:
        return KEYWORDS[words]
    if first_reply and words in CONFIRMING_FIRST_REPLIES:
        return Reply.CONFIRM
    return None


def carry_on(inbound: Inbound, *, now: dt.datetime | None = None) -> bool:
    """Answer the message if it is a reply to an outreach text; True to carry on (to the
    bot, perhaps with `inbound.for_bot` set), False when it was answered here."""
    client = inbound.conversation.client
    if client is None or client.mobile_e164 != inbound.conversation.address:
        return True  # only the verified client, texting from their own number on file
    client_id = client.id
    now = now or utcnow()
    context = reply_context(inbound.session, client_id, now=now)
    if context is None:
        return True
    first = mark_replied(context.job, now=now)
    if not context.about_a_booked_session:
        # A follow-up ("want to find a new time?"): R means a new booking; anything else is
        # the dialogue model's, whose actions read the follow-up as context.
        if classify(inbound.text, first_reply=False) is Reply.RESCHEDULE:
            inbound.for_bot = BOOK_INTENT
        return True
    reply = classify(inbound.text, first_reply=first)
    if reply is None:
        return True
    log.info("outreach_reply", job=context.job.id, reply=reply.value, standing=_standing_name(context))
    return _answer(inbound, context, reply, now)


def _answer(inbound: Inbound, context: ReplyContext, reply: Reply, now: dt.datetime) -> bool:
    tz = inbound.conversation.practice.timezone
    if context.standing is Standing.CANCELLED:
        inbound.reply(text("outreach.reply.cancelled"))
        return False
    current = context.current
    if current is None:  # started or over: nothing to confirm, move, cancel or join now
        inbound.reply(text("outreach.reply.past"))
        return False
    moved = (
        text("outreach.reply.moved", when=format_slot(current.starts_at, tz))
        if context.standing is Standing.MOVED
        else ""
    )
    if reply in FOR_BOT:
        inbound.for_bot = FOR_BOT[reply]  # the actions say where it moved, and offer times
        return True
    if reply is Reply.CONFIRM:
        if moved:  # the client confirmed a time that no longer holds: say so, confirm nothing
            inbound.reply(moved)
            return False
        confirm(
            inbound.session,
            current,
            now=now,
            actor=f"client:{current.client_id}",
            outreach_job_id=context.job.id,
            request_id=inbound.message.request_id,
        )
        inbound.reply(text("outreach.reply.confirmed", when=format_slot(current.starts_at, tz)))
        return False
    inbound.reply(" ".join(part for part in (moved, _video_link(current, tz)) if part))
    return False


def _video_link(appointment: Appointment, tz: str) -> str:
    """The session's video link: the conversation is the verified client's own number on file."""
    when = format_slot(appointment.starts_at, tz)
    if appointment.modality is Modality.IN_PERSON:
        place = text("session.at_place", place=appointment.location) if appointment.location else ""
        return text("outreach.reply.in_person", when=when, place=place)
    if not appointment.telehealth_url:
        return text("video.not_ready")
    return text("video.link", when=when, url=appointment.telehealth_url)


def _standing_name(context: ReplyContext) -> str:
    return context.standing.value if context.standing else "none"
