"""`assistant chat`: talk to the running gateway from a terminal, as the web chat widget does
(a chat session, then one message per line; `-m` for a scripted conversation)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import httpx

DEMO_CLIENT = ("Jordan Lee", "1990-04-12")


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def _print_replies(replies: list[dict[str, Any]]) -> None:
    for reply in replies:
        print(f"bot> {reply['text']}")
        for button in reply.get("buttons") or []:
            print(f"      [{button['title']}]")


def chat(url: str, args: argparse.Namespace) -> int:
    """Chat with the gateway at `url` as a web chat client would (args: demo, name, dob, message)."""
    body: dict[str, str] = {}
    if args.demo:
        body = {"name": DEMO_CLIENT[0], "date_of_birth": DEMO_CLIENT[1]}
    elif args.name and args.dob:
        body = {"name": args.name, "date_of_birth": args.dob}
    with httpx.Client(base_url=url, timeout=60) as http:
        try:
            created = http.post("/api/chat/sessions", json=body)
        except httpx.HTTPError:
            return _fail(f"the gateway at {url} is not answering; start it with `make run`")
        if created.status_code != 201:
            return _fail(f"could not start a chat: {created.status_code} {created.text}")
        session = created.json()
        who = f"verified as {body['name']}" if session["verified"] else "not verified yet"
        print(f"Chat started ({who}). Type a message, or 'quit' to leave.")
        headers = {"Authorization": f"Bearer {session['token']}"}
        messages = list(args.message or [])  # a copy: args.message says "scripted" after it is used up
        while True:
            if messages:
                text = messages.pop(0)
                print(f"you> {text}")
            elif args.message:
                return 0
            else:
                try:
                    text = input("you> ").strip()
                except EOFError:
                    return 0
            if text.lower() in ("quit", "exit"):
                return 0
            if not text:
                continue
            response = http.post(
                f"/api/chat/sessions/{session['session_id']}/messages", json={"text": text}, headers=headers
            )
            if response.status_code != 200:
                print(f"error: {response.status_code} {response.json().get('detail')}")
                continue
            turn = response.json()
            _print_replies(turn["replies"])
            if turn["state"] != "bot":
                print(f"      (conversation is now: {turn['state'].replace('_', ' ')})")
