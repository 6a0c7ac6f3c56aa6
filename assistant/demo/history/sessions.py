"""Sessions of the demo history: booked, moved and cancelled through the scheduling services
(`book`, `reschedule`, `cancel`, the console's `mark_no_show`), attended or missed, reminded
and followed up.

Reminder and follow-up texts are what the outreach scheduler would have sent at the time: rows
with the rule's own event key (assistant/outreach/rules.py), so the live scheduler sees them as
already decided and never sends them again.  Reminders start part-way through the history
(`REMINDERS_FROM_DAY`), so the no-show chart has a before and an after.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from assistant.demo.history.contacts import Contacts
from assistant.demo.history.people import Person
from assistant.outreach.rules import reminder_rule
from assistant.services.appointments import AppointmentError, book, cancel, reschedule
from assistant.services.outreach_client import mark_no_show
from assistant.store.models import (
    Appointment,
    AppointmentStatus,
    Author,
    Channel,
    MessageStatus,
    OutreachJob,
    OutreachKind,
    OutreachState,
)

REMINDERS_FROM_DAY = 55  # days before today reminders were turned on
UPCOMING_DAYS = 21  # sessions are booked this far ahead of today
Schedule = Callable[[dt.datetime, Callable[[], None]], None]


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")


@dataclass
class Sessions:
    contacts: Contacts
    schedule: Schedule
    first_day: dt.date
    today: dt.date

    @property
    def rng(self) -> random.Random:
        return self.contacts.rng

    def plan_person(self, person: Person) -> None:
        """Every standing session of `person` in the history and the weeks ahead."""
        start_day = self.first_day + dt.timedelta(days=30 if person.new else person.index % person.cadence_days)
        last_day = self.today + dt.timedelta(days=UPCOMING_DAYS)
        if person.drifting:
            last_day = self.today - dt.timedelta(days=35 + (person.index % 4) * 6)
        day = start_day + dt.timedelta(days=(person.weekday - start_day.weekday()) % 7)
        while day <= last_day:
            start = self.contacts.clock.local(day, person.hour)
            booked_at = start - dt.timedelta(days=self.rng.uniform(4, 12), minutes=self.rng.randrange(600))
            self.schedule(booked_at, self._booking(person, start, booked_at))
            day += dt.timedelta(days=person.cadence_days)

    def _booking(self, person: Person, start: dt.datetime, at: dt.datetime) -> Callable[[], None]:
        def run() -> None:
            by_client = self.rng.random() < 0.45  # the rest are booked by the front desk
            appointment = self._book(person, start, at, by_client)
            if appointment is None:
                return
            if by_client and at >= self.contacts.clock.local(self.first_day, 0):  # the history's first day on
                self.contacts.exchange(self._channel(person), at, "book", person.client_id, person.mobile)
            self._plan_outcome(person, appointment)

        return run

    def _book(self, person: Person, start: dt.datetime, at: dt.datetime, by_client: bool) -> Appointment | None:
        try:
            appointment = book(
                self.contacts.session,
                client_id=person.client_id,
                clinician_id=person.clinician_id,
                starts_at=start,
                modality=person.modality,
                now=at,
                actor=f"client:{person.client_id}" if by_client else console_actor(self.contacts),
            )
        except AppointmentError:
            return None  # the time is not open (a clinician's day off, another booking): skipped
        self.contacts.counts.appointments += 1
        return appointment

    def _channel(self, person: Person) -> Channel:
        return Channel.SMS if person.texts and self.rng.random() < 0.5 else Channel.WEB

    def _plan_outcome(self, person: Person, appointment: Appointment) -> None:
        start, now = appointment.starts_at, self.contacts.now
        reminders_on = start.date() >= self.today - dt.timedelta(days=REMINDERS_FROM_DAY)
        remind_at = start - dt.timedelta(hours=48)
        if reminders_on and person.texts and appointment.created_at < remind_at < now:
            self.schedule(remind_at, lambda: self._remind(person, appointment, remind_at))
        if start >= now:
            return  # still ahead: booked
        roll = self.rng.random()
        if roll < 0.09:
            at = start - dt.timedelta(hours=self.rng.uniform(3, 70))
            if at > appointment.created_at:
                self.schedule(at, lambda: self._cancel(person, appointment, at))
                return
        elif roll < 0.15:
            at = start - dt.timedelta(hours=self.rng.uniform(26, 60))
            if at > appointment.created_at:
                self.schedule(at, lambda: self._move(person, appointment, at))
                return
        no_show_rate = 0.05 if reminders_on else 0.13
        if self.rng.random() < no_show_rate:
            self.schedule(start + dt.timedelta(minutes=20), lambda: self._no_show(person, appointment))
        else:
            self.schedule(appointment.ends_at, lambda: self._attended(appointment))

    def _remind(self, person: Person, appointment: Appointment, at: dt.datetime) -> None:
        if appointment.status is not AppointmentStatus.BOOKED:
            return
        thread = self.contacts.thread(person.mobile, at, person.client_id)
        delivered = self.rng.random() < 0.96
        text = self.contacts.message(
            thread, Author.SYSTEM, "Reminder: you have a session soon. Reply C to confirm.", at
        )
        if not delivered:
            text.status = MessageStatus.UNDELIVERED
        self.contacts.session.flush()  # the job names the text by its id
        key = f"{reminder_rule(48)}:appt:{appointment.id}:{_stamp(appointment.starts_at)}"
        job = self._sent_job(person, appointment, OutreachKind.REMINDER, reminder_rule(48), key, at, text.id)
        if delivered and self.rng.random() < 0.62:
            answered = at + dt.timedelta(minutes=self.rng.randint(3, 400))
            if answered < min(appointment.starts_at, self.contacts.now):
                self.contacts.message(thread, Author.CLIENT, "C", answered)
                appointment.confirmed_at = answered
                job.replied_at = answered

    def _sent_job(
        self,
        person: Person,
        appointment: Appointment,
        kind: OutreachKind,
        rule: str,
        event_key: str,
        at: dt.datetime,
        message_id: int | None,
    ) -> OutreachJob:
        """The job as the scheduler leaves it once sent; the one the planner made is reused."""
        session = self.contacts.session
        session.flush()
        planned = session.scalars(select(OutreachJob).where(OutreachJob.event_key == event_key)).first()
        if planned is not None:
            planned.state, planned.decided_at, planned.message_id, planned.attempts = (
                OutreachState.SENT,
                at,
                message_id,
                1,
            )
            return planned
        job = OutreachJob(
            practice_id=self.contacts.practice.id,
            client_id=person.client_id,
            appointment_id=appointment.id,
            kind=kind,
            rule=rule,
            event_key=event_key,
            due_at=at,
            state=OutreachState.SENT,
            attempts=1,
            message_id=message_id,
            created_at=at - dt.timedelta(hours=1),
            decided_at=at,
        )
        self.contacts.session.add(job)
        self.contacts.counts.outreach_jobs += 1
        return job

    def _follow_up(self, person: Person, appointment: Appointment, kind: OutreachKind, at: dt.datetime) -> None:
        if not person.texts or at >= self.contacts.now:
            return
        thread = self.contacts.thread(person.mobile, at, person.client_id)
        text = self.contacts.message(thread, Author.SYSTEM, "We missed you. Reply to book your next session.", at)
        self.contacts.session.flush()
        self._sent_job(person, appointment, kind, kind.value, f"{kind.value}:appt:{appointment.id}", at, text.id)

    def _cancel(self, person: Person, appointment: Appointment, at: dt.datetime) -> None:
        by_client = self.rng.random() < 0.7
        actor = f"client:{person.client_id}" if by_client else console_actor(self.contacts)
        try:
            cancel(self.contacts.session, appointment_id=appointment.id, now=at, actor=actor)
        except AppointmentError:
            return
        if by_client:
            self.contacts.exchange(self._channel(person), at, "cancel", person.client_id, person.mobile)
        if self.rng.random() < 0.55:  # rebooked within the week
            again = appointment.starts_at + dt.timedelta(days=self.rng.randint(1, 5))
            rebook_at = at + dt.timedelta(hours=self.rng.uniform(0.2, 30))
            self.schedule(rebook_at, self._booking(person, again, rebook_at))
        else:
            follow_at = at + dt.timedelta(days=2)
            self.schedule(
                follow_at, lambda: self._follow_up(person, appointment, OutreachKind.CANCELLED_NOT_REBOOKED, follow_at)
            )

    def _move(self, person: Person, appointment: Appointment, at: dt.datetime) -> None:
        new_start = appointment.starts_at + dt.timedelta(days=self.rng.choice([1, 2, 3]))
        try:
            moved = reschedule(
                self.contacts.session,
                appointment_id=appointment.id,
                new_start=new_start,
                now=at,
                actor=f"client:{person.client_id}",
            )
        except AppointmentError:
            self.schedule(appointment.ends_at, lambda: self._attended(appointment))
            return
        self.contacts.counts.appointments += 1
        self.contacts.exchange(self._channel(person), at, "reschedule", person.client_id, person.mobile)
        if moved.new.starts_at < self.contacts.now:
            self.schedule(moved.new.ends_at, lambda: self._attended(moved.new))

    def _no_show(self, person: Person, appointment: Appointment) -> None:
        at = appointment.starts_at + dt.timedelta(minutes=20)
        if appointment.status is not AppointmentStatus.BOOKED:
            return
        mark_no_show(self.contacts.session, self.contacts.rep, appointment, now=at)
        follow_at = appointment.starts_at + dt.timedelta(hours=1)
        self._follow_up(person, appointment, OutreachKind.NO_SHOW, follow_at)

    def _attended(self, appointment: Appointment) -> None:
        # What the practice-management side records after a session (no service marks it).
        if appointment.status is AppointmentStatus.BOOKED and appointment.ends_at < self.contacts.now:
            appointment.status = AppointmentStatus.COMPLETED
            appointment.status_changed_at = appointment.ends_at


def console_actor(contacts: Contacts) -> str:
    return f"rep:{contacts.rep.id}"
