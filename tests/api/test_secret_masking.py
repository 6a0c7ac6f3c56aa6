"""One-time links and codes are masked at write time: `Message.text` (what reps see) holds
the mask, `Message.client_text` the client's copy, which only the client's own chat reads."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from assistant.conversation.outbound import send_to_client
from assistant.services.links import issue_link
from assistant.services.secret_masking import (
    CODE_MASK,
    REMOVED_LINK,
    link_mask,
    mask_link_shapes,
    mask_links,
    split_for_reps,
)
from assistant.store.engine import session_scope
from assistant.store.models import (
    AccessLink,
    Author,
    Channel,
    Client,
    Conversation,
    LinkPurpose,
    Message,
    Practice,
)
from assistant.wording.sms_segments import segment_count

BASE = "https://frontdesk.lakeside.example"
# 10:12 AM in New York (the demo practice's time zone, EST in March); links live 30 minutes.
NOW = dt.datetime(2026, 3, 2, 15, 12, tzinfo=dt.UTC)
PORTAL_MASK = "[one-time sign-in link sent, expires 10:42 AM]"
CARD_MASK = "[card-update link sent, expires 10:42 AM]"


def _practice_and_client(session) -> tuple[Practice, Client]:  # noqa: ANN001
    practice = session.scalars(select(Practice).where(Practice.slug == "lakeside")).one()
    client = session.scalars(select(Client).where(Client.first_name == "Jordan")).one()
    return practice, client


def _link(session, purpose: LinkPurpose, ttl_minutes: int = 30) -> str:  # noqa: ANN001
    practice, client = _practice_and_client(session)
    return issue_link(
        session,
        client=client,
        practice=practice,
        purpose=purpose,
        public_base_url=BASE,
        ttl_minutes=ttl_minutes,
        now=NOW,
    )


def _token(link: str) -> str:
    return re.split(r"[/=]", link)[-1]


def test_a_sign_in_link_is_masked_with_its_expiry_in_practice_time(demo_database_url: str) -> None:
    with session_scope(demo_database_url) as session:
        practice, _ = _practice_and_client(session)
        link = _link(session, LinkPurpose.PORTAL_SIGN_IN)
        text = f"Or sign in directly with this one-time link (valid for 30 minutes): {link}\nThanks."
        split = split_for_reps(session, practice, text, now=NOW)
    assert split.rep_text == (
        f"Or sign in directly with this one-time link (valid for 30 minutes): {PORTAL_MASK}\nThanks."
    )
    assert split.client_text == text


def test_a_card_link_and_a_bare_pasted_path_are_masked(demo_database_url: str) -> None:
    with session_scope(demo_database_url) as session:
        practice, _ = _practice_and_client(session)
        card = _link(session, LinkPurpose.BILLING_UPDATE)
        portal_path = "/portal/sign-in/" + _token(_link(session, LinkPurpose.PORTAL_SIGN_IN))
        masked = mask_links(session, practice, f"Card: {card}. Or try {portal_path}.", NOW)
    assert masked == f"Card: {CARD_MASK}. Or try {PORTAL_MASK}."


def test_the_practices_external_card_page_link_is_masked(demo_database_url: str) -> None:
    with session_scope(demo_database_url) as session:
        practice, _ = _practice_and_client(session)
        practice.billing_update_url = "https://pay.example/update?practice=7"
        link = _link(session, LinkPurpose.BILLING_UPDATE)
        assert link.startswith("https://pay.example/update?practice=7&token=")
        masked = mask_links(session, practice, f"Update it here: {link}", NOW)
        # Even a token we have no record of, on the practice's own card page.
        forged = mask_links(session, practice, "https://pay.example/update?token=" + "x" * 43, NOW)
    assert masked == f"Update it here: {CARD_MASK}"
    assert forged == "[card-update link sent]"


def test_an_unknown_token_on_our_own_link_is_still_masked(demo_database_url: str) -> None:
    with session_scope(demo_database_url) as session:
        practice, _ = _practice_and_client(session)
        masked = mask_links(session, practice, f"{BASE}/billing/update/{'A' * 43}", NOW)
    assert masked == "[card-update link sent]"


@pytest.mark.parametrize(
    "text",
    [
        "Your next session is Fri Mar 6, 3:00 PM by video.",
        "Join at https://zoom.us/j/12345678901?pwd=abcdefghijklmnopqrstuv",
        "See https://example.org/page?token=abcdefghijklmnopqrstuvwxyz",  # not ours, not the practice's
        f"Sign in at {BASE}/portal/sign-in/short",  # no token of ours is this short
    ],
)
def test_texts_without_a_one_time_link_are_left_alone(demo_database_url: str, text: str) -> None:
    with session_scope(demo_database_url) as session:
        practice, _ = _practice_and_client(session)
        split = split_for_reps(session, practice, text, now=NOW)
    assert (split.rep_text, split.client_text) == (text, None)


def test_an_expiry_on_another_day_names_the_day() -> None:
    expires = dt.datetime(2026, 3, 3, 5, 12, tzinfo=dt.UTC)  # 12:12 AM the next day in New York
    assert (
        link_mask(LinkPurpose.PORTAL_SIGN_IN, expires, timezone="America/New_York", now=NOW)
        == "[one-time sign-in link sent, expires Tue Mar 3, 12:12 AM]"
    )
    assert (
        link_mask(LinkPurpose.PORTAL_SIGN_IN, expires, timezone="Asia/Tokyo", now=NOW)
        == "[one-time sign-in link sent, expires 2:12 PM]"
    )


def test_a_code_text_is_masked_whole(demo_database_url: str) -> None:
    text = "Your Lakeside Counseling verification code is 123456. It expires in 10 minutes."
    with session_scope(demo_database_url) as session:
        practice, _ = _practice_and_client(session)
        split = split_for_reps(session, practice, text, is_code=True, now=NOW)
    assert (split.rep_text, split.client_text) == (CODE_MASK, text)


def test_free_form_json_loses_anything_shaped_like_a_link() -> None:
    value = {
        "note": f"see {BASE}/portal/sign-in/{'b' * 43}",
        "nested": [f"https://pay.example/x?token={'c' * 43}"],
        "count": 3,
    }
    assert mask_link_shapes(value) == {"note": f"see {REMOVED_LINK}", "nested": [REMOVED_LINK], "count": 3}


# --- written through send_to_client, read through the client's own chat ----------------------


def _web_chat(gateway: TestClient) -> tuple[str, dict[str, str]]:
    created = gateway.post("/api/chat/sessions", json={"name": "Jordan Lee", "date_of_birth": "1990-04-12"})
    assert created.status_code == 201, created.text
    body = created.json()
    return body["session_id"], {"Authorization": f"Bearer {body['token']}"}


def test_the_clients_own_transcript_and_stream_carry_the_working_link(gateway: TestClient, database_url: str) -> None:
    session_id, auth = _web_chat(gateway)
    with session_scope(database_url) as session:
        link = _link(session, LinkPurpose.PORTAL_SIGN_IN, ttl_minutes=60 * 24)
        said = f"Or sign in directly with this one-time link: {link}"
        message_id = send_to_client(session, session.get(Conversation, session_id), said, author=Author.BOT).id
    with session_scope(database_url) as session:
        stored = session.get(Message, message_id)
        assert _token(link) not in stored.text and "[one-time sign-in link sent, expires" in stored.text
        assert stored.client_text == said
    transcript = gateway.get(f"/api/chat/sessions/{session_id}/messages", headers=auth).json()["messages"]
    assert [m["text"] for m in transcript if m["id"] == message_id] == [said]
    stream_token = gateway.post(f"/api/chat/sessions/{session_id}/stream-token", headers=auth).json()
    gateway.app.state.chat_stream_max_seconds, gateway.app.state.chat_stream_poll_seconds = 0.2, 0.1
    events = gateway.get(
        f"/api/chat/sessions/{session_id}/events", params={"stream_token": stream_token["stream_token"]}
    ).text
    assert link in events


def test_a_link_the_client_pastes_back_is_masked_before_it_is_stored(gateway: TestClient, database_url: str) -> None:
    session_id, auth = _web_chat(gateway)
    with session_scope(database_url) as session:
        link = _link(session, LinkPurpose.PORTAL_SIGN_IN, ttl_minutes=60 * 24)
    sent = gateway.post(
        f"/api/chat/sessions/{session_id}/messages", headers=auth, json={"text": f"this link does not work {link}"}
    )
    assert sent.status_code == 200
    with session_scope(database_url) as session:
        texts = session.scalars(select(Message.text).where(Message.conversation_id == session_id)).all()
    assert texts and not any(_token(link) in text for text in texts)
    assert any(text.startswith("this link does not work [one-time sign-in link sent") for text in texts)


def test_an_sms_split_in_parts_masks_each_part_and_counts_the_delivered_segments(demo_database_url: str) -> None:
    with session_scope(demo_database_url) as session:
        practice, _ = _practice_and_client(session)
        conversation = Conversation(practice_id=practice.id, channel=Channel.SMS, address="+15555550123")
        session.add(conversation)
        session.flush()
        link = _link(session, LinkPurpose.PORTAL_SIGN_IN)
        filler = " ".join(f"Step {n} is one more thing that usually helps you get in." for n in range(12))
        text = f"{filler}\nOr sign in directly with this one-time link: {link}\n{filler}"
        send_to_client(session, conversation, text, author=Author.BOT)
        parts = session.scalars(
            select(Message).where(Message.conversation_id == conversation.id).order_by(Message.id)
        ).all()
        assert len(parts) > 2
        with_link = [part for part in parts if part.client_text is not None]
        assert len(with_link) == 1 and link in with_link[0].client_text
        assert with_link[0].redact_after_send
        assert all(_token(link) not in part.text for part in parts)
        assert all(part.segments == segment_count(part.client_text or part.text) for part in parts)
        assert session.scalars(select(AccessLink)).all()  # the link itself is untouched


def test_segments_are_counted_on_what_the_phone_gets_not_on_the_mask(demo_database_url: str) -> None:
    with session_scope(demo_database_url) as session:
        practice, _ = _practice_and_client(session)
        conversation = Conversation(practice_id=practice.id, channel=Channel.SMS, address="+15555550123")
        session.add(conversation)
        session.flush()
        text = "Sorry you're locked out. " * 3 + f"Sign in here: {_link(session, LinkPurpose.PORTAL_SIGN_IN)}"
        message = send_to_client(session, conversation, text, author=Author.BOT)
        assert (segment_count(message.client_text), segment_count(message.text)) == (2, 1)
        assert message.segments == 2


def test_a_note_with_a_pasted_link_is_masked(demo_database_url: str) -> None:
    from assistant.services.console import add_note
    from assistant.store.models import Rep

    with session_scope(demo_database_url) as session:
        practice, _ = _practice_and_client(session)
        conversation = Conversation(practice_id=practice.id, channel=Channel.WEB)
        session.add(conversation)
        session.flush()
        rep = session.scalars(select(Rep).where(Rep.practice_id == practice.id)).first()
        link = _link(session, LinkPurpose.BILLING_UPDATE, ttl_minutes=60 * 24)
        note = add_note(session, conversation, rep, f"client's link: {link}")
        assert _token(link) not in note.text and "[card-update link sent, expires" in note.text
