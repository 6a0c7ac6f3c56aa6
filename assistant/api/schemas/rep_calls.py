"""Response models of the rep API's phone-call routes: calling a caller back, and the
error a recording answers with when Twilio cannot hand it over."""

from __future__ import annotations

from assistant.api.schemas.common import PublicModel
from assistant.api.schemas.rep_conversations import CallPublic, MessagePublic
from assistant.store.models import ConversationState


class CallBackPublic(PublicModel):
    """A call back recorded: the number to dial, the call as it now stands, and the
    transcript line that says who called back when.  The ticket stays as it was."""

    conversation_id: str
    state: ConversationState
    number: str
    call: CallPublic
    note: MessagePublic


class ProblemPublic(PublicModel):
    detail: str
