"""Lakeside Counseling's answers to the practice questions clients ask (every topic), as an
admin would write them in the console: no clinician names and nothing clinical, since the
practice keeps clinical details out of texts.  Loaded once; an admin's later edits stay."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.store.models import FaqTopic, Practice, PracticeFaqAnswer

# topic -> (answer, link or None)
ANSWERS: dict[FaqTopic, tuple[str, str | None]] = {
    FaqTopic.ADDRESS: (
        "We're at 400 Lakeshore Drive, Building B, second floor, Burlington, VT 05401. Building B is the "
        "brick building behind the bank; the entrance faces the lake path, and the elevator is just "
        "inside on the left.",
        "https://maps.lakeside.example/office",
    ),
    FaqTopic.PARKING: (
        "Free parking is in the lot behind Building B; spaces marked Visitor are for our clients, no "
        "permit needed. Street parking on Lakeshore Drive is metered until 6 PM. By bus, routes 4 and 15 "
        "stop at Lakeshore & Pine, a two-minute walk.",
        None,
    ),
    FaqTopic.ACCESSIBILITY: (
        "Our office is wheelchair accessible: a step-free entrance from the parking lot, an elevator to the "
        "second floor and an accessible restroom on our floor. If you need an ASL interpreter or another "
        "accommodation, tell us when you book and we'll arrange it at no cost to you.",
        None,
    ),
    FaqTopic.INSURANCE: (
        "We're in network with Aetna, Blue Cross Blue Shield, Cigna and UnitedHealthcare. With another "
        "plan, we can give you a superbill each month to send to your insurer for out-of-network "
        "reimbursement. Call the number on your card to check your out-of-network benefits.",
        None,
    ),
    FaqTopic.SELF_PAY: (
        "Self-pay sessions are $150 for a 50-minute session. We keep a limited number of sliding-scale "
        "spots from $80; ask our front desk team if cost is a concern.",
        None,
    ),
    FaqTopic.FIRST_SESSION: (
        "Your first visit lasts about 50 minutes. It's mostly getting to know you and what you'd like help "
        "with, and you only share what you're comfortable with. Please arrive 10 minutes early (or join the "
        "video 5 minutes early), with your insurance card and a photo ID.",
        None,
    ),
    FaqTopic.INTAKE_FORMS: (
        "New clients fill in our intake forms in the client portal before the first visit; it takes about "
        "15 minutes. If you can't get to them, arrive 20 minutes early and we'll have paper copies.",
        "https://portal.lakeside.example/forms",
    ),
    FaqTopic.TELEHEALTH: (
        "Video sessions run on Zoom: you'll get your own link before each session, and you can join from a "
        "phone, tablet or computer without an account. Find a quiet, private spot, and test your camera and "
        "connection a few minutes before.",
        "https://zoom.us/test",
    ),
}


def ensure_faq_answers(session: Session, practice: Practice) -> int:
    """Add the answers the practice does not have yet; how many were added."""
    have = set(session.scalars(select(PracticeFaqAnswer.topic).where(PracticeFaqAnswer.practice_id == practice.id)))
    added = 0
    for topic, (answer, link_url) in ANSWERS.items():
        if topic in have:
            continue
        session.add(PracticeFaqAnswer(practice_id=practice.id, topic=topic, answer=answer, link_url=link_url))
        added += 1
    session.flush()
    return added
