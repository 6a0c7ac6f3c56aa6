"""The rep console's accounts and a signed-in browser, for tests of the gateway in-process
(FastAPI's TestClient) with the demo practice's reps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from fastapi.testclient import TestClient

from assistant.config import Settings
from assistant.stack import free_port

REP = ("frontdesk@lakeside.example", "demo-rep-password")
ADMIN = ("admin@lakeside.example", "demo-admin-password")
OTHER_REP = ("rep@elsewhere.example", "another-long-password")
JORDAN = {"name": "Jordan Lee", "date_of_birth": "1990-04-12"}


@dataclass
class Signed:
    """A browser signed in to the console: its client and its CSRF token."""

    http: TestClient
    csrf: str
    rep: dict

    def post(self, path: str, json: dict | None = None, **kwargs: Any) -> httpx.Response:
        return self.http.post(path, json=json, headers={"X-CSRF-Token": self.csrf}, **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.get(path, **kwargs)


@dataclass
class Chat:
    http: TestClient
    session_id: str
    token: str

    def send(self, text: str) -> dict:
        response = self.http.post(
            f"/api/chat/sessions/{self.session_id}/messages",
            json={"text": text},
            headers={"Authorization": f"Bearer {self.token}"},
        )
        assert response.status_code == 200, response.text
        return response.json()


def make_settings(database_url: str, **overrides: Any) -> Settings:
    nowhere = f"http://127.0.0.1:{free_port()}"  # nothing listens: the bot is down
    return Settings(
        **{
            "assistant_env": "test",
            "database_url": database_url,
            "rasa_url": nowhere,
            "bot_outage_hold_seconds": 0,  # out longer than the hold: hand-offs at once
            "action_server_url": nowhere,
            "rasa_timeout_seconds": 2,
            **overrides,
        }
    )


def sign_in(http: TestClient, email: str, password: str) -> Signed:
    response = http.post("/api/rep/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    body = response.json()
    return Signed(http, body["csrf_token"], body["rep"])
