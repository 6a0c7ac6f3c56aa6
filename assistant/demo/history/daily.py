"""The everyday traffic of the demo history: questions by web chat and SMS, calls, hand-offs
for every reason, a stranger's text now and then, clients coming back within two days; and
the front desk reaching out to clients who drifted away."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from assistant.demo.history.contacts import Contacts
from assistant.demo.history.people import STRANGER_NUMBER, Person
from assistant.services.outreach_worklist import reached_out
from assistant.store.models import Channel, Client, HandoffReason

Schedule = Callable[[dt.datetime, Callable[[], None]], None]
# What a conversation is about, and how likely each is.
TOPICS = {"video": 26, "hours": 18, "portal": 10, "reschedule": 14, "billing": 8, "person": 9, "unclear": 8, "card": 5}
HANDOFF_FOR = {
    "billing": HandoffReason.BILLING,
    "person": HandoffReason.REQUESTED,
    "unclear": HandoffReason.LOW_CONFIDENCE,
}
CALL_OUTCOMES = {"bot": 50, "transfer": 18, "voicemail": 16, "missed": 16}


def plan_days(contacts: Contacts, people: list[Person], schedule: Schedule, first_day: dt.date, today: dt.date) -> None:
    rng = contacts.rng
    day = first_day
    while day <= today:
        weekend = day.weekday() >= 5
        for _ in range(rng.randint(0, 2) if weekend else rng.randint(2, 6)):
            at = contacts.clock.client_moment(day)
            person = rng.choice(people)
            if at < contacts.now - dt.timedelta(minutes=30) and _still_around(person, day, today):
                schedule(at, _conversation(contacts, person, at))
        for _ in range(rng.randint(0, 1) if weekend else rng.randint(1, 3)):
            at = contacts.clock.local(day, rng.randint(8, 18), rng.randrange(60))
            if at < contacts.now - dt.timedelta(minutes=30):
                schedule(at, _call(contacts, rng.choice(people), at))
        if rng.random() < 0.2:
            at = contacts.clock.client_moment(day)
            if at < contacts.now - dt.timedelta(minutes=30):
                schedule(at, _stranger(contacts, at, STRANGER_NUMBER + (day - first_day).days))
        day += dt.timedelta(days=1)


def _still_around(person: Person, day: dt.date, today: dt.date) -> bool:
    return not person.drifting or day < today - dt.timedelta(days=40)


def _conversation(contacts: Contacts, person: Person, at: dt.datetime) -> Callable[[], None]:
    def run() -> None:
        rng = contacts.rng
        topic = rng.choices(list(TOPICS), weights=list(TOPICS.values()))[0]
        channel = Channel.SMS if person.texts and rng.random() < 0.45 else Channel.WEB
        conversation = contacts.exchange(channel, at, topic, person.client_id, person.mobile)
        reason = HANDOFF_FOR.get(topic)
        if topic == "portal" and rng.random() < 0.4:
            reason = HandoffReason.PORTAL_HELP
        if reason is None and rng.random() < 0.03:
            reason = HandoffReason.CRISIS
        if reason is None and channel is Channel.WEB and rng.random() < 0.05:
            reason = HandoffReason.VERIFICATION_FAILED
        if reason is None and topic == "portal":
            contacts.portal_link(person.client_id, at + dt.timedelta(seconds=30))
        if reason is None and topic == "video":
            contacts.video_link(person.client_id, channel, at + dt.timedelta(seconds=20))
        if topic == "card":
            contacts.card_update(person.client_id, at + dt.timedelta(minutes=1))
        if reason is not None:
            contacts.hand_off(conversation, reason, at + dt.timedelta(minutes=1))
        elif rng.random() < 0.12:  # not quite sorted: the client writes again within two days
            again = at + dt.timedelta(hours=rng.uniform(2, 40))
            if again < contacts.now - dt.timedelta(minutes=30):
                contacts.exchange(channel, again, topic, person.client_id, person.mobile)

    return run


def _call(contacts: Contacts, person: Person, at: dt.datetime) -> Callable[[], None]:
    def run() -> None:
        outcome = contacts.rng.choices(list(CALL_OUTCOMES), weights=list(CALL_OUTCOMES.values()))[0]
        contacts.phone_call(at, outcome, person.client_id, person.mobile)

    return run


def _stranger(contacts: Contacts, at: dt.datetime, number: int) -> Callable[[], None]:
    def run() -> None:
        conversation = contacts.exchange(Channel.SMS, at, "book", None, f"+1555555{number:04d}")
        contacts.hand_off(conversation, HandoffReason.UNKNOWN_NUMBER, at + dt.timedelta(minutes=1))

    return run


def reach_out_to_drifters(contacts: Contacts, people: list[Person]) -> None:
    """The front desk called two of the clients who drifted away (the worklist's log)."""
    for person in [p for p in people if p.drifting][:2]:
        client = contacts.session.get(Client, person.client_id)
        if client is not None:
            at = contacts.now - dt.timedelta(days=contacts.rng.randint(2, 6), hours=contacts.rng.randint(0, 5))
            reached_out(contacts.session, contacts.rep, client, None, now=at)
