"""The practice questions a client may ask, one per `faq_*` intent (data/nlu/practice_questions.yml).

Eight are answered in the practice's own words (`practice_faq_answers`, edited in the
console); four come from settings the practice already keeps: its business hours ("when
are you open", "are you open now"), its cancellation policy, and its response window
with the hand-off promise ("how do I reach a person").
"""

from __future__ import annotations

import enum

from assistant.store.models import FaqTopic

INTENT_PREFIX = "faq_"


class Question(enum.StrEnum):
    HOURS = "hours"
    OPEN_NOW = "open_now"
    ADDRESS = "address"
    PARKING = "parking"
    ACCESSIBILITY = "accessibility"
    INSURANCE = "insurance"
    SELF_PAY = "self_pay"
    FIRST_SESSION = "first_session"
    INTAKE_FORMS = "intake_forms"
    TELEHEALTH = "telehealth"
    CANCELLATION_POLICY = "cancellation_policy"
    CONTACT = "contact"

    @property
    def intent(self) -> str:
        return INTENT_PREFIX + self.value

    @property
    def topic(self) -> FaqTopic | None:
        """The stored topic the practice writes, or None when settings answer it."""
        return _STORED.get(self)


_STORED = {Question(topic.value): topic for topic in FaqTopic}
# Asked for in words the admin page shows beside each answer.
LABELS = {
    Question.HOURS: "Office hours",
    Question.OPEN_NOW: "Are you open now?",
    Question.ADDRESS: "Address and directions",
    Question.PARKING: "Parking and transit",
    Question.ACCESSIBILITY: "Accessibility",
    Question.INSURANCE: "Insurance, out-of-network and superbills",
    Question.SELF_PAY: "Self-pay rates",
    Question.FIRST_SESSION: "What to expect at a first session",
    Question.INTAKE_FORMS: "Intake forms",
    Question.TELEHEALTH: "How video sessions work",
    Question.CANCELLATION_POLICY: "Cancellation policy",
    Question.CONTACT: "Reaching a person",
}
# Where the answer comes from for the questions the practice does not write itself.
FROM_SETTINGS = {
    Question.HOURS: "Front desk hours in Practice settings",
    Question.OPEN_NOW: "Front desk hours in Practice settings",
    Question.CANCELLATION_POLICY: "Cancellation window and late fee in Practice settings",
    Question.CONTACT: "The practice's phone number and response window",
}


def question_for_intent(intent: str | None) -> Question | None:
    """faq_parking -> Question.PARKING; anything else -> None."""
    if not intent or not intent.startswith(INTENT_PREFIX):
        return None
    try:
        return Question(intent.removeprefix(INTENT_PREFIX))
    except ValueError:
        return None
