"""Practice questions (hours, parking, insurance, ...): answered from the practice's own
settings by one action for every `faq_*` intent.

Nothing here is about the client, so no verification is asked for and an unknown texter
gets the same answer.  A question the practice has not answered yet goes to a person
(reason `practice_question`, so a rep sees what was asked) rather than getting a guess.
An answer changes no slot, so a flow the client was in carries on after it: an offer or
yes/no question on screen is repeated briefly after the answer (actions/scheduling/resume.py),
and during the identity check data/rules.yml returns to the form.
"""

from __future__ import annotations

from rasa_sdk.events import EventType

from actions.base import FrontDeskAction, Turn, hand_off
from actions.scheduling.resume import remind_pending
from actions.tracker_values import latest_intent
from assistant.services.practice_faq import question_for_intent
from assistant.store.models import HandoffReason


class AnswerPracticeQuestion(FrontDeskAction):
    action_name = "action_answer_practice_question"
    reads_first = True  # usually an answer only: see FrontDeskAction.reads_first
    requires_verification = False

    def act(self, turn: Turn) -> list[EventType]:
        question = question_for_intent(latest_intent(turn.tracker))
        if question is None:  # run by a rule for another intent: a person reads what was asked
            return hand_off(turn, HandoffReason.PRACTICE_QUESTION, "faq.not_answered")
        answer = turn.services.practice_answer(question, phone=turn.is_phone)
        if answer.text is None:
            return hand_off(turn, HandoffReason.PRACTICE_QUESTION, "faq.not_answered")
        turn.say(answer.text)
        remind_pending(turn)  # asked in passing ("what's the fee again?"): the offer on screen still stands
        return []
