"""Conversations of the demo history: web chats, SMS threads and phone calls, with hand-offs a
person claims, answers and resolves at a realistic delay.

Hand-offs go through the product's own services (`open_handoff`, the console's `claim` and
`resolve`, `record_call_back`), with the simulated moment passed where a service takes one.
Messages are written as rows: the pipeline that normally writes them needs the dialogue model
and a live channel, and a rep's written reply through `console.reply` would queue a real text.
Crisis hand-offs are written as rows too: `open_handoff` would text the on-call clinician now
about a crisis weeks old.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.conversation.state import transition
from assistant.demo.history.clock import Clock
from assistant.services import audit, console
from assistant.services.appointments import next_appointment
from assistant.services.billing import save_card
from assistant.services.call_backs import record_call_back
from assistant.services.conversations import open_handoff
from assistant.services.links import issue_link
from assistant.services.video_links import record_video_link_sent
from assistant.store.models import (
    AuditEvent,
    Author,
    Call,
    CallStage,
    Channel,
    Client,
    Conversation,
    ConversationState,
    Direction,
    HandoffReason,
    HandoffTicket,
    LinkPurpose,
    Message,
    MessageStatus,
    Practice,
    Rep,
)

CLIENT_LINES = {
    "reschedule": "can i move my session to later this week",
    "cancel": "i need to cancel my appointment",
    "book": "id like to book a session",
    "video": "whats the link for my video session",
    "portal": "i cant get into the portal",
    "hours": "what time do you open",
    "billing": "i have a question about my bill",
    "person": "can i talk to a person",
    "unclear": "its about the thing from last time",
    "confirm": "C",
    "card": "i need to update my card",
}
BOT_LINE = "Thanks, that's done. Anything else?"
REP_LINE = "Hi, this is the front desk. Happy to help with that."
VOICE_TO = "front_desk"
LINK_BASE = "http://localhost:8000"  # link pages of the demo gateway (the links are long expired)
TEST_CARD = "4242424242424242"  # the card networks' test number: never a real card


@dataclass
class Counts:
    conversations: int = 0
    messages: int = 0
    handoffs: int = 0
    calls: int = 0
    outreach_jobs: int = 0
    appointments: int = 0


@dataclass
class Contacts:
    session: Session
    practice: Practice
    clock: Clock
    rng: random.Random
    rep: Rep
    now: dt.datetime
    counts: Counts = field(default_factory=Counts)
    _threads: dict[str, Conversation] = field(default_factory=dict)

    def message(
        self,
        conversation: Conversation,
        author: Author,
        text: str,
        at: dt.datetime,
        status: MessageStatus | None = None,
    ) -> Message:
        inbound = author is Author.CLIENT
        if status is None:
            delivered = MessageStatus.DELIVERED if conversation.channel is Channel.SMS else MessageStatus.SENT
            status = MessageStatus.PROCESSED if inbound else delivered
        row = Message(
            conversation_id=conversation.id,
            direction=Direction.INBOUND if inbound else Direction.OUTBOUND,
            author=author,
            text=text,
            status=status,
            created_at=at,
            processed_at=at if inbound else None,
        )
        self.session.add(row)
        conversation.last_activity_at = max(conversation.last_activity_at or at, at)
        self.counts.messages += 1
        return row

    def _new(self, channel: Channel, at: dt.datetime, client_id: int | None, address: str | None) -> Conversation:
        conversation = Conversation(
            practice_id=self.practice.id,
            channel=channel,
            client_id=client_id,
            address=address,
            created_at=at,
            last_activity_at=at,
        )
        self.session.add(conversation)
        self.session.flush()
        self.counts.conversations += 1
        return conversation

    def thread(self, number: str, at: dt.datetime, client_id: int | None) -> Conversation:
        """The SMS thread with a number: one per number, as `sms_conversation_for` keeps them."""
        if number not in self._threads:
            self._threads[number] = self._new(Channel.SMS, at, client_id, number)
        return self._threads[number]

    def exchange(
        self, channel: Channel, at: dt.datetime, topic: str, client_id: int | None, number: str
    ) -> Conversation:
        """A client writes about `topic` and the bot answers (a web chat is a new conversation)."""
        if channel is Channel.SMS:
            conversation = self.thread(number, at, client_id)
        else:
            conversation = self._new(Channel.WEB, at, client_id, None)
        self.message(conversation, Author.CLIENT, CLIENT_LINES[topic], at)
        self.message(conversation, Author.BOT, BOT_LINE, at + dt.timedelta(seconds=self.rng.randint(2, 9)))
        return conversation

    def hand_off(self, conversation: Conversation, reason: HandoffReason, at: dt.datetime) -> bool:
        """Open a hand-off at `at`; a person answers and resolves it.  Hand-offs a person would
        answer only after now are left out: the demo's queue holds only its scripted items."""
        answered = self.clock.reply_delay(at)
        if answered + dt.timedelta(minutes=20) >= self.now:
            return False
        if reason is HandoffReason.CRISIS:
            ticket = HandoffTicket(conversation_id=conversation.id, reason=reason, priority=0, context={})
            self.session.add(ticket)
            transition(conversation, ConversationState.HANDOFF_PENDING, reason="handoff:crisis", actor="bot")
            self.session.flush()
        else:
            ticket = open_handoff(self.session, conversation, reason)
            opened = self.session.scalars(
                select(AuditEvent)
                .where(AuditEvent.action == "handoff_opened", AuditEvent.subject_id == conversation.id)
                .order_by(AuditEvent.id.desc())
            ).first()
            if opened is not None:
                opened.at = at  # the service stamps its audit event with the real clock
        ticket.created_at = at
        self.session.flush()
        self.counts.handoffs += 1
        console.claim(self.session, conversation, self.rep, now=answered - dt.timedelta(minutes=1))
        if conversation.channel is Channel.VOICE:
            record_call_back(self.session, conversation, self.rep, now=answered)
        else:
            reply = self.message(conversation, Author.REP, REP_LINE, answered)
            self.session.flush()
            audit.record(
                self.session,
                actor=console.actor(self.rep),
                action="rep_replied",
                subject_type="conversation",
                subject_id=conversation.id,
                details={"message": reply.id},
                at=answered,
            )
            self.message(conversation, Author.CLIENT, "ok thank you", answered + dt.timedelta(minutes=3))
        console.resolve(
            self.session, conversation, self.rep, return_to_bot=True, now=answered + dt.timedelta(minutes=15)
        )
        conversation.last_activity_at = max(conversation.last_activity_at, answered + dt.timedelta(minutes=15))
        return True

    def portal_link(self, client_id: int, at: dt.datetime) -> None:
        """The bot texted a one-time portal sign-in link (the link service, as the action does)."""
        client = self.session.get(Client, client_id)
        if client is not None:
            issue_link(
                self.session,
                client=client,
                practice=self.practice,
                purpose=LinkPurpose.PORTAL_SIGN_IN,
                public_base_url=LINK_BASE,
                ttl_minutes=30,
                now=at,
            )

    def video_link(self, client_id: int, channel: Channel, at: dt.datetime) -> None:
        """The bot gave the client their next video session's link (recorded as the action does)."""
        client = self.session.get(Client, client_id)
        appointment = next_appointment(self.session, client_id, at) if client is not None else None
        if client is not None and appointment is not None and appointment.telehealth_url:
            record_video_link_sent(self.session, client, appointment, channel=channel, now=at)

    def card_update(self, client_id: int, at: dt.datetime) -> None:
        """The bot sent a card-update link and the client put a (test) card on file with it."""
        client = self.session.get(Client, client_id)
        if client is None:
            return
        url = issue_link(
            self.session,
            client=client,
            practice=self.practice,
            purpose=LinkPurpose.BILLING_UPDATE,
            public_base_url=LINK_BASE,
            ttl_minutes=60,
            now=at,
        )
        expiry = f"{(at.month % 12) + 1:02d}/{(at.year + 3) % 100:02d}"
        save_card(self.session, url.rsplit("/", 1)[-1], TEST_CARD, expiry, now=at + dt.timedelta(minutes=4))

    def phone_call(self, at: dt.datetime, outcome: str, client_id: int | None, number: str) -> Conversation:
        """One call: "bot" (the bot helped), "transfer", "voicemail" or "missed"."""
        conversation = self._new(Channel.VOICE, at, client_id, number)
        seconds = self.rng.randint(45, 260) if outcome != "missed" else 0
        ended = at + dt.timedelta(seconds=seconds or 20)
        self.counts.calls += 1
        call = Call(
            call_sid=f"CAdemohistory{self.counts.calls:08d}",
            conversation_id=conversation.id,
            practice_id=self.practice.id,
            from_number=number,
            to_number=self.practice.phone_e164,
            stage=CallStage.ENDED,
            twilio_status="completed" if outcome != "missed" else "no-answer",
            caller_client_id=client_id,
            bot_helped=outcome == "bot",
            dial_target=VOICE_TO if outcome == "transfer" else None,
            dial_status="completed" if outcome == "transfer" else None,
            started_at=at,
            ended_at=ended,
            duration_seconds=seconds,
        )
        if outcome == "voicemail":
            call.recording_sid = f"REdemohistory{self.counts.calls:08d}"
            # Not a Twilio address: the console offers no playback for a demo recording.
            call.recording_url = f"demo-history:{call.recording_sid}"
            call.recording_seconds = self.rng.randint(12, 50)
            call.transcript = "Hi, please call me back about my appointment."
        self.session.add(call)
        self.session.flush()
        if outcome != "missed":
            self.message(conversation, Author.CLIENT, CLIENT_LINES["reschedule" if outcome == "bot" else "person"], at)
            self.message(conversation, Author.BOT, BOT_LINE, at + dt.timedelta(seconds=4))
        if outcome == "voicemail":
            self.hand_off(conversation, HandoffReason.CALLBACK, ended)
        if outcome == "missed":
            call.missed_text_sent_at = ended + dt.timedelta(seconds=30)
            thread = self.thread(number, call.missed_text_sent_at, client_id)
            self.message(
                thread, Author.SYSTEM, "Sorry we missed your call. Reply here and we'll help.", call.missed_text_sent_at
            )
            if self.rng.random() < 0.5:
                back = call.missed_text_sent_at + dt.timedelta(minutes=self.rng.randint(5, 600))
                if back < self.now:
                    self.message(thread, Author.CLIENT, CLIENT_LINES["book"], back)
                    self.message(thread, Author.BOT, BOT_LINE, back + dt.timedelta(seconds=5))
        return conversation
