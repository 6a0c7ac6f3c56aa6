"""What the caller hears next, once a turn is done: the one place that turns a call's state
into TwiML.

    a person is needed (the conversation waits for one, or a rep has it):
        crisis       -> 988 / 911 already said; put through to on-call; if nobody answers,
                        the instructions again and a message
        in hours     -> put through to the front desk (if the practice has numbers)
        otherwise    -> the honest call-back promise, and a message after the tone
    the bot has it   -> say the replies, listen for the next turn (keys for every choice)
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session
from twilio.twiml.voice_response import VoiceResponse

from assistant.channels.voice import twiml
from assistant.channels.voice.adapter import spoken_options
from assistant.conversation.state import current_ticket
from assistant.scheduling import hours
from assistant.services.calls import take_unspoken
from assistant.services.promises import callback_promise, practice_hours
from assistant.store.models import (
    Author,
    Call,
    CallStage,
    Client,
    Clinician,
    ConversationState,
    Direction,
    HandoffReason,
    Message,
    MessageStatus,
    Practice,
    utcnow,
)
from assistant.wording.catalog import text

# Words the practice's callers say that speech recognition should expect.
HINTS = (
    "reschedule",
    "cancel",
    "book",
    "appointment",
    "session",
    "Zoom",
    "video link",
    "portal",
    "billing",
    "person",
    "representative",
    "yes",
    "no",
    "tomorrow",
    "morning",
    "afternoon",
)


def said(session: Session, call: Call, *sentences: str) -> list[str]:
    """The gateway's own lines (greeting, prompts, goodbyes), stored as spoken like every
    reply, so the transcript reps read is the call the caller heard."""
    now = utcnow()
    for sentence in sentences:
        session.add(
            Message(
                conversation_id=call.conversation_id,
                direction=Direction.OUTBOUND,
                author=Author.SYSTEM,
                text=sentence,
                status=MessageStatus.SENT,
                created_at=now,
            )
        )
    return list(sentences)


def _as_is(_session: Session, _call: Call, *sentences: str) -> list[str]:
    return list(sentences)


def voice_of(practice: Practice) -> twiml.Voice:
    return twiml.Voice(practice.voice_name or twiml.DEFAULT_VOICE)


def hints_for(session: Session, practice: Practice) -> list[str]:
    """The practice's own words: its clinicians' names and the front desk's vocabulary.
    (Hints go to Twilio's recognizer only; nothing here is said to the caller.)"""
    names = session.scalars(
        select(Clinician.display_name).where(Clinician.practice_id == practice.id, Clinician.active.is_(True))
    ).all()
    return [practice.name, *names, *HINTS]


def greeting(session: Session, call: Call, *, first_time: bool = True) -> VoiceResponse:
    """The first thing a caller hears: the practice's greeting, then who is calling (a shared
    number) or how we can help."""
    practice = call.practice
    opening = practice.voice_greeting or text("voice.greeting", practice=practice.name)
    # Twilio may post the incoming call twice: the caller hears it again, the transcript once.
    store = said if first_time else _as_is
    sentences = store(session, call, opening)
    if call.stage is CallStage.CHOOSING_CLIENT:
        candidates = [session.get_one(Client, client_id) for client_id in call.conversation.candidate_client_ids or []]
        sentences += store(session, call, text("voice.who_is_calling", options=spoken_options(candidates)))
    else:
        sentences += store(session, call, text("voice.how_can_i_help"))
    return twiml.listen(sentences, voice_of(practice), turn=1, hints=hints_for(session, practice))


def _person(session: Session, call: Call, sentences: list[str], now: dt.datetime) -> VoiceResponse:
    practice, voice = call.practice, voice_of(call.practice)
    ticket = current_ticket(session, call.conversation_id)
    if ticket is not None and ticket.reason is HandoffReason.CRISIS:
        if practice.oncall_e164 and call.dial_target != "on_call":
            call.stage, call.dial_target = CallStage.TRANSFERRING, "on_call"
            return twiml.transfer(
                sentences, voice, [practice.oncall_e164], target="on_call", caller_id=practice.phone_e164
            )
        call.stage = CallStage.RECORDING
        after = "voice.crisis_no_answer" if practice.oncall_e164 else "voice.crisis_leave_message"
        return twiml.take_message([*sentences, *said(session, call, text(after))], voice)
    open_now = hours.is_open(practice_hours(practice), now)
    numbers = [str(number) for number in practice.front_desk_numbers or []]
    if open_now and numbers and call.dial_target is None:
        call.stage, call.dial_target = CallStage.TRANSFERRING, "front_desk"
        return twiml.transfer(
            [*sentences, *said(session, call, text("voice.connecting"))],
            voice,
            numbers,
            target="front_desk",
            caller_id=practice.phone_e164,
        )
    call.stage = CallStage.RECORDING
    wording = "voice.leave_message" if open_now else "voice.closed_leave_message"
    prompt = text(wording, promise=callback_promise(practice, now))
    return twiml.take_message([*sentences, *said(session, call, prompt)], voice)


def after_turn(session: Session, call: Call, *, turn: int, now: dt.datetime | None = None) -> VoiceResponse:
    """The TwiML that answers turn `turn`: what was queued for the caller, then what next."""
    now = now or utcnow()
    conversation = call.conversation
    sentences = [message.text for message in take_unspoken(session, conversation.id)]
    if call.stage is CallStage.ENDED:
        return twiml.nothing()
    if conversation.state in (ConversationState.HANDOFF_PENDING, ConversationState.WITH_REP):
        return _person(session, call, sentences, now)
    if call.stage is CallStage.TRANSFERRING:  # a repeated webhook while the transfer rings
        return twiml.nothing()
    sentences = sentences or said(session, call, text("voice.anything_else"))
    digits = 8 if call.stage is CallStage.CONFIRMING_DOB else None
    return twiml.listen(
        sentences, voice_of(call.practice), turn=turn + 1, hints=hints_for(session, call.practice), digits=digits
    )


def after_transfer(session: Session, call: Call, answered: bool, *, now: dt.datetime | None = None) -> VoiceResponse:
    """The transfer is over: a person took the call (the call ends with them), or nobody
    answered and the caller leaves a message (crisis: with the 988 / 911 instructions)."""
    now = now or utcnow()
    voice = voice_of(call.practice)
    if answered:
        return twiml.goodbye([], voice)
    return _person(session, call, [], now)


def after_message(session: Session, call: Call, *, left_message: bool, now: dt.datetime | None = None) -> VoiceResponse:
    now = now or utcnow()
    promise = callback_promise(call.practice, now)
    wording = "voice.message_received" if left_message else "voice.no_message"
    sentence = text(wording, promise=promise)
    return twiml.goodbye(said(session, call, sentence[0].upper() + sentence[1:]), voice_of(call.practice))


def silence(session: Session, call: Call, *, turn: int) -> VoiceResponse:
    """Nothing heard this turn: ask again once; the second time, say goodbye (the caller
    gets a text with how to reach us: services/calls.text_back)."""
    voice = voice_of(call.practice)
    if call.silent_turns >= 2:
        return twiml.goodbye(said(session, call, text("voice.goodbye_silence")), voice)
    digits = 8 if call.stage is CallStage.CONFIRMING_DOB else None
    return twiml.listen(
        said(session, call, text("voice.reprompt")),
        voice,
        turn=turn + 1,
        hints=hints_for(session, call.practice),
        digits=digits,
    )
