"""Practice questions answered from the practice's own settings (no PHI, no verification).

  questions.py    the questions (one per faq_* intent) and where each answer comes from
  answers.py      the answer a client gets, on a screen or by text/call: what the action says
  phone_fit.py    an answer kept to one text for SMS and calls
  editing.py      the admin's side: list, preview, save and clear answers (validated, audited)

A question the practice has not answered (an empty setting) has no answer here: the action
hands the client to a person instead of inventing one.
"""

from assistant.services.practice_faq.answers import FaqReply, reply
from assistant.services.practice_faq.questions import Question, question_for_intent

__all__ = ["FaqReply", "Question", "question_for_intent", "reply"]
