"""Helpers for running actions with real rasa_sdk trackers."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from assistant.store.engine import session_scope
from assistant.store.models import Channel, Client, Conversation, Practice


def make_conversation(database_url: str, client_first_name: str | None = None, channel: Channel = Channel.WEB) -> str:
    with session_scope(database_url) as session:
        practice = session.scalars(select(Practice)).first()
        client_id = None
        if client_first_name:
            client_id = session.scalars(select(Client.id).where(Client.first_name == client_first_name)).one()
        conversation = Conversation(practice_id=practice.id, channel=channel, client_id=client_id)
        session.add(conversation)
        session.flush()
        return conversation.id


def tracker(
    conversation_id: str,
    text: str,
    intent: str,
    *,
    slots: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
    events: list[dict[str, Any]] | None = None,
    confidence: float = 0.95,
) -> Tracker:
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": intent, "confidence": confidence}],
        "entities": entities or [],
        "metadata": {"request_id": "test-request"},
    }
    return Tracker(
        sender_id=conversation_id,
        slots=slots or {},
        latest_message=latest,
        events=events or [{"event": "user", "text": text, "parse_data": latest}],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run_action(action: Action, current: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Returns (messages said, events returned)."""
    dispatcher = CollectingDispatcher()
    # On a thread of its own: a sync Playwright (the e2e `browser` fixture, kept for the whole
    # session) leaves an event loop running on the main thread, and asyncio.run refuses to
    # start inside one, so in random order these tests failed after any browser test.
    with ThreadPoolExecutor(max_workers=1) as pool:
        events = pool.submit(asyncio.run, action.run(dispatcher, current, {})).result()
    return dispatcher.messages, events


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {event["name"]: event["value"] for event in events if event.get("event") == "slot"}


def has_event(events: list[dict[str, Any]], event: str, name: str | None) -> bool:
    return any(item.get("event") == event and item.get("name") == name for item in events)
