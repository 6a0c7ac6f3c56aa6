"""Who the demo history is about: clients of their own (never Jordan, Priya, Chris, Morgan or
the other demo clients scripts and tests use), each with a clinician, a standing weekly or
biweekly time, and a story: regular, new (started a month ago) or drifting away."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.demo.data import CHEN, PATEL, RIVERA
from assistant.store.models import Client, Clinician, Modality, Practice

# 555-01xx are the demo's scripted numbers, 555-02xx the history's clients, 555-03xx strangers.
CLIENT_NUMBER = "+1555555{:04d}"
FIRST_CLIENT_NUMBER = 200
STRANGER_NUMBER = 300

# (first, last): names no other demo or test client has.
NAMES = [
    ("Harper", "Quinlan"),
    ("Rowan", "Achebe"),
    ("Sasha", "Lindqvist"),
    ("Elliot", "Marchetti"),
    ("Noor", "Haddad"),
    ("Ines", "Carvalho"),
    ("Theo", "Okafor"),
    ("Mira", "Kowalczyk"),
    ("Jonah", "Whitaker"),
    ("Lena", "Fischbach"),
    ("Omar", "Siddiqui"),
    ("Greta", "Halvorsen"),
    ("Felix", "Arroyo"),
    ("Wren", "Castellano"),
    ("Keiko", "Tanabe"),
    ("Dev", "Raghunathan"),
    ("Anya", "Petrovic"),
    ("Luca", "Bellamy"),
    ("Zara", "Mwangi"),
    ("Silas", "Oyelaran"),
    ("Tessa", "Vandermeer"),
    ("Idris", "Farouk"),
    ("Maren", "Solberg"),
    ("Caleb", "Ashworth"),
    ("Priscilla", "Obuya"),
    ("Emeric", "Laforge"),
    ("Yasmin", "Qureshi"),
    ("Bastian", "Thorsen"),
    ("Oona", "Kilbride"),
    ("Rafael", "Quintero"),
    ("Hollis", "Brandvold"),
    ("Selma", "Iskander"),
    ("Arlo", "Penhaligon"),
    ("Juno", "Takahara"),
    ("Cyrus", "Delacroix"),
    ("Petra", "Novakova"),
]
# Standing hours inside each clinician's availability (assistant/demo/data.py), one per client.
CLINICIAN_TIMES = {
    PATEL: [(0, 10), (1, 14), (2, 9), (3, 11), (4, 13), (0, 15), (2, 16), (1, 10), (3, 15), (4, 9), (0, 13), (1, 16)],
    RIVERA: [
        (0, 12),
        (1, 17),
        (2, 13),
        (3, 18),
        (4, 11),
        (1, 12),
        (3, 14),
        (2, 18),
        (0, 16),
        (4, 15),
        (2, 11),
        (4, 17),
    ],
    CHEN: [(0, 9), (2, 11), (4, 10), (0, 14), (2, 15), (4, 14), (0, 11), (2, 9), (0, 16), (4, 12), (2, 13), (4, 16)],
}
DRIFTING = {3, 10, 17, 22, 29}  # stop coming about 5-8 weeks ago: the dropped-off worklist
NEW = {5, 14, 31}  # their first session was about a month ago
NO_TEXTS = {8, 27}  # no SMS consent: reminders go by phone


@dataclass(frozen=True)
class Person:
    index: int
    client_id: int
    clinician_id: int
    modality: Modality
    weekday: int
    hour: int
    cadence_days: int
    drifting: bool
    new: bool
    mobile: str
    texts: bool


def existing(session: Session, practice: Practice) -> bool:
    """Whether the history's clients are already there (the history was loaded before)."""
    first, last = NAMES[0]
    found = select(Client.id).where(
        Client.practice_id == practice.id,
        Client.first_name == first,
        Client.last_name == last,
        Client.mobile_e164 == CLIENT_NUMBER.format(FIRST_CLIENT_NUMBER),
    )
    return session.scalars(found).first() is not None


def create_people(
    session: Session, practice: Practice, clinicians: dict[str, Clinician], now: dt.datetime
) -> list[Person]:
    people = []
    order = [PATEL, RIVERA, CHEN]
    for index, (first, last) in enumerate(NAMES):
        clinician = clinicians[order[index % 3]]
        weekday, hour = CLINICIAN_TIMES[clinician.display_name][index // 3]
        mobile = CLIENT_NUMBER.format(FIRST_CLIENT_NUMBER + index)
        texts = index not in NO_TEXTS
        cadence = 14 if index % 4 == 1 else 7
        client = Client(
            practice_id=practice.id,
            first_name=first,
            last_name=last,
            mobile_e164=mobile,
            email=f"{first}.{last}@example.com".lower(),
            date_of_birth=dt.date(1970 + index, 1 + index % 12, 1 + (index * 3) % 27),
            primary_clinician_id=clinician.id,
            sms_consent=texts,
            session_cadence_days=cadence,
            created_at=now - dt.timedelta(days=200),
        )
        session.add(client)
        session.flush()
        in_person_only = clinician.display_name == CHEN
        modality = Modality.IN_PERSON if in_person_only or index % 2 == 0 else Modality.TELEHEALTH
        people.append(
            Person(
                index,
                client.id,
                clinician.id,
                modality,
                weekday,
                hour,
                cadence,
                index in DRIFTING,
                index in NEW,
                mobile,
                texts,
            )
        )
    return people
