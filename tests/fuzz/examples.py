"""What a fuzz example needs in the store, written directly (faster than the API, and never
throttled): fresh chat sessions, handed-off conversations, reps, canned responses, a
signed-in admin session; and the per-example reset of throttles."""

from __future__ import annotations

import datetime as dt
import secrets

from fastapi import FastAPI
from sqlalchemy import delete, select

from assistant.api.deps import hash_secret
from assistant.api.throttle import build_rate_limiter
from assistant.services import reps as rep_accounts
from assistant.services.conversations import open_handoff
from assistant.services.links import hash_token
from assistant.store.engine import session_scope
from assistant.store.models import (
    AccessLink,
    CannedResponse,
    Channel,
    Client,
    Conversation,
    HandoffReason,
    LinkPurpose,
    Practice,
    Rep,
    RepRole,
    RepSession,
    RepSignInFailure,
    utcnow,
)

ADMIN_EMAIL = "admin@lakeside.example"
LINK_PURPOSES = {"portal": LinkPurpose.PORTAL_SIGN_IN, "billing": LinkPurpose.BILLING_UPDATE}


class Store:
    """Direct store writes for what an example needs (faster than the API, and never throttled)."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self._rep_id: int | None = None
        with session_scope(database_url) as session:
            self.practice_id = session.scalars(select(Practice.id).where(Practice.slug == "lakeside")).one()

    def reset_throttles(self, app: FastAPI) -> None:
        """Each example starts unthrottled: one source sends every example, and without this
        the per-address limits would answer 429 to nearly all of them after the first few."""
        app.state.rate_limiter = build_rate_limiter(app.state.settings)
        with session_scope(self.database_url) as session:
            session.execute(delete(RepSignInFailure))

    def chat_session(self) -> tuple[str, str]:
        """A new web chat session: (session id, bearer token)."""
        token = secrets.token_urlsafe(32)
        with session_scope(self.database_url) as session:
            conversation = Conversation(
                practice_id=self.practice_id, channel=Channel.WEB, token_hash=hash_secret(token)
            )
            session.add(conversation)
            session.flush()
            return conversation.id, token

    def handed_off_conversation(self) -> str:
        """A web chat waiting for a person (what the rep endpoints act on)."""
        with session_scope(self.database_url) as session:
            conversation = Conversation(
                practice_id=self.practice_id, channel=Channel.WEB, token_hash=hash_secret(secrets.token_urlsafe(32))
            )
            session.add(conversation)
            session.flush()
            open_handoff(session, conversation, HandoffReason.REQUESTED)
            return conversation.id

    def canned_response(self) -> int:
        now = utcnow()
        with session_scope(self.database_url) as session:
            item = CannedResponse(
                practice_id=self.practice_id,
                title="Fuzz",
                body="Hello {client_first_name}",
                created_at=now,
                updated_at=now,
            )
            session.add(item)
            session.flush()
            return item.id

    def rep(self) -> int:
        """A throwaway rep for the admin endpoints to change or deactivate: one per module
        (a new one each example would cost an argon2 hash), put back to an active rep."""
        with session_scope(self.database_url) as session:
            if self._rep_id is None:
                self._rep_id = rep_accounts.create_rep(
                    session,
                    practice_id=self.practice_id,
                    email="fuzz-rep@lakeside.example",
                    display_name="Fuzz Rep",
                    password=secrets.token_urlsafe(16),
                ).id
            rep = session.get(Rep, self._rep_id)
            assert rep is not None
            rep.active, rep.role = True, RepRole.REP
            return self._rep_id

    def admin_session(self) -> tuple[str, str]:
        """A signed-in session of the demo admin: (cookie token, CSRF token).

        Minted in the store, as a successful sign-in does, so that a previous example
        signing out, or a throttle on sign-in, does not leave the next example signed out;
        the admin is put back to an active admin in case an example changed that."""
        token, csrf, now = secrets.token_urlsafe(32), secrets.token_urlsafe(32), utcnow()
        with session_scope(self.database_url) as session:
            admin = session.scalars(select(Rep).where(Rep.email == ADMIN_EMAIL)).one()
            admin.active, admin.role = True, RepRole.ADMIN
            session.add(
                RepSession(
                    id=rep_accounts.token_id(token),
                    rep_id=admin.id,
                    csrf_token=csrf,
                    created_at=now,
                    expires_at=now + rep_accounts.SESSION_MAX_AGE,
                    last_seen_at=now,
                )
            )
        return token, csrf

    def link(self, purpose: str) -> str:
        """A fresh, unused link token ("portal" or "billing") for a demo client."""
        token, now = secrets.token_urlsafe(32), utcnow()
        with session_scope(self.database_url) as session:
            client_id = session.scalars(
                select(Client.id).where(Client.practice_id == self.practice_id).order_by(Client.id)
            ).first()
            session.add(
                AccessLink(
                    client_id=client_id,
                    purpose=LINK_PURPOSES[purpose],
                    token_hash=hash_token(token),
                    created_at=now,
                    expires_at=now + dt.timedelta(minutes=30),
                )
            )
        return token
