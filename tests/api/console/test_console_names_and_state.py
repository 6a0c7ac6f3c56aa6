"""What the console needs to say who and when, and to know when a hand-off is done (issue 14,
points 1 and 3): each rep message carries the name of the rep who sent it (from the audit
log's `rep_replied` rows: two reps on two hand-offs of one conversation), the queue says the
practice's time zone, and a resolved hand-off can no longer be resolved."""

from __future__ import annotations

from assistant.store.engine import session_scope
from assistant.store.models import Practice
from tests.support.console import ADMIN, REP, sign_in

CASEY = "Casey (front desk)"  # the demo rep's display name (assistant/demo_console.py)
MORGAN = "Morgan (practice manager)"  # the demo admin's


def _rep_messages(signed, conversation_id: str) -> list[tuple[str, str | None]]:
    detail = signed.get(f"/api/rep/conversations/{conversation_id}").json()
    return [(m["text"], m["rep_name"]) for m in detail["messages"] if m["author"] == "rep"]


def test_rep_messages_carry_the_name_of_the_rep_who_sent_them(browser, open_handoff_chat) -> None:
    rep, admin = sign_in(browser(), *REP), sign_in(browser(), *ADMIN)
    chat = open_handoff_chat()
    path = f"/api/rep/conversations/{chat.session_id}"
    assert rep.post(f"{path}/claim").status_code == 200
    sent = rep.post(f"{path}/messages", {"text": "Hi, Casey here."})
    assert sent.status_code == 201 and sent.json()["rep_name"] == CASEY
    assert rep.post(f"{path}/resolve", {"return_to_bot": True}).status_code == 200
    # The client writes again (the bot is down: a new hand-off), and the admin takes this one.
    assert chat.send("one more thing")["state"] == "handoff_pending"
    assert admin.post(f"{path}/claim").status_code == 200
    assert admin.post(f"{path}/messages", {"text": "Morgan here too."}).status_code == 201

    assert _rep_messages(rep, chat.session_id) == [("Hi, Casey here.", CASEY), ("Morgan here too.", MORGAN)]
    # What arrives while the transcript is open is signed the same way.
    first_id = rep.get(path).json()["messages"][0]["id"]
    later = rep.get(f"{path}/messages", params={"after": first_id}).json()["messages"]
    assert [(m["text"], m["rep_name"]) for m in later if m["author"] == "rep"] == _rep_messages(rep, chat.session_id)
    # Only rep messages are signed.
    assert all(m["rep_name"] is None for m in rep.get(path).json()["messages"] if m["author"] != "rep")


def test_the_queue_says_the_practice_time_zone(rep, open_handoff_chat, database_url) -> None:
    open_handoff_chat()
    with session_scope(database_url) as session:
        zone = session.query(Practice).filter(Practice.slug == "lakeside").one().timezone
    body = rep.get("/api/rep/conversations").json()
    assert body["timezone"] == zone and body["conversations"]


def test_a_resolved_hand_off_cannot_be_resolved_again(rep, open_handoff_chat) -> None:
    chat = open_handoff_chat()
    path = f"/api/rep/conversations/{chat.session_id}"
    assert rep.post(f"{path}/claim").status_code == 200
    assert rep.get(path).json()["permissions"]["can_resolve"] is True
    assert rep.post(f"{path}/resolve", {"return_to_bot": False}).status_code == 200

    detail = rep.get(path).json()
    assert detail["conversation"]["state"] == "resolved"
    assert detail["permissions"]["can_resolve"] is False  # the console turns the buttons off
    assert rep.get(f"{path}/messages", params={"after": 0}).json()["permissions"]["can_resolve"] is False
    assert rep.post(f"{path}/resolve", {"return_to_bot": False}).status_code == 409  # and the server agrees
