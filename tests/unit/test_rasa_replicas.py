"""Rasa replicas: each conversation sticks to one (rendezvous hashing), fails over to the
next in its order when that one is out, and goes back when it recovers.  The replicas are
httpx MockTransport hosts whose health each test sets."""

from __future__ import annotations

import json
from collections import Counter

import httpx
import pytest

from assistant.config import Settings
from assistant.dialogue.bot import BotUnavailable
from assistant.dialogue.replicas import RasaReplicas, rendezvous_order

URLS = ["http://rasa-a:5005", "http://rasa-b:5005", "http://rasa-c:5005"]
CONVERSATIONS = [f"conversation-{number}" for number in range(300)]


class Replicas:
    """The fake servers: `outage[host]` is how a host fails ("refused", "timeout", 500, 400)."""

    def __init__(self) -> None:
        self.outage: dict[str, object] = {}
        self.answered: list[tuple[str, str]] = []  # (host, conversation)
        self.restarted: list[str] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        failure = self.outage.get(host)
        if failure == "refused":
            raise httpx.ConnectError("connection refused", request=request)
        if failure == "timeout":
            raise httpx.ReadTimeout("timed out", request=request)
        if isinstance(failure, int):
            return httpx.Response(failure, json={"error": "broken"})
        if request.url.path == "/status":
            return httpx.Response(200, json={"model_file": "model.tar.gz"})
        if request.url.path.endswith("/tracker/events"):
            self.restarted.append(host)
            return httpx.Response(200, json={})
        body = json.loads(request.content)
        self.answered.append((host, body["sender"]))
        return httpx.Response(200, json=[{"text": f"{host} heard {body['message']}"}])

    def client(self, retry_after: float = 60.0) -> RasaReplicas:
        return RasaReplicas(URLS, 5.0, retry_after=retry_after, transport=httpx.MockTransport(self.handle))


def _host(url: str) -> str:
    return httpx.URL(url).host


def _first_choice(conversation_id: str) -> str:
    return _host(URLS[rendezvous_order(URLS, conversation_id)[0]])


def test_a_conversation_always_goes_to_the_same_replica_and_all_replicas_get_some() -> None:
    fakes = Replicas()
    bot = fakes.client()
    for _round in range(3):
        for conversation in CONVERSATIONS:
            bot.send(conversation, "hello", None)
    hosts_by_conversation: dict[str, set[str]] = {}
    for host, conversation in fakes.answered:
        hosts_by_conversation.setdefault(conversation, set()).add(host)
    assert all(len(hosts) == 1 for hosts in hosts_by_conversation.values())
    assert {conversation: hosts.pop() for conversation, hosts in hosts_by_conversation.items()} == {
        conversation: _first_choice(conversation) for conversation in CONVERSATIONS
    }
    spread = Counter(_first_choice(conversation) for conversation in CONVERSATIONS)
    assert set(spread) == {"rasa-a", "rasa-b", "rasa-c"} and min(spread.values()) > len(CONVERSATIONS) / 6, spread


def test_the_order_is_the_same_in_every_process_whatever_the_order_of_the_urls() -> None:
    reordered = [URLS[2], URLS[0], URLS[1]]
    for conversation in CONVERSATIONS[:50]:
        assert URLS[rendezvous_order(URLS, conversation)[0]] == reordered[rendezvous_order(reordered, conversation)[0]]


@pytest.mark.parametrize("failure", ["refused", "timeout", 500, 503])
def test_losing_a_replica_moves_only_its_own_conversations(failure: object) -> None:
    fakes = Replicas()
    bot = fakes.client()
    fakes.outage["rasa-b"] = failure
    for conversation in CONVERSATIONS:
        replies = bot.send(conversation, "hello", None)
        assert replies and "heard hello" in replies[0].text
    served = dict((conversation, host) for host, conversation in fakes.answered)
    assert "rasa-b" not in served.values()
    for conversation in CONVERSATIONS:
        if _first_choice(conversation) != "rasa-b":
            assert served[conversation] == _first_choice(conversation)
        else:  # its second choice
            assert served[conversation] == _host(URLS[rendezvous_order(URLS, conversation)[1]])


def test_a_replica_marked_down_is_skipped_until_it_is_due_for_a_retry() -> None:
    fakes = Replicas()
    bot = fakes.client(retry_after=3600)
    conversation = next(c for c in CONVERSATIONS if _first_choice(c) == "rasa-a")
    fakes.outage["rasa-a"] = "refused"
    bot.send(conversation, "first", None)
    assert bot.order_for(conversation)[-1] == URLS[0]  # marked down: tried last
    fakes.outage.clear()
    bot.send(conversation, "second", None)
    assert [host for host, _ in fakes.answered] == [_host(bot.order_for(conversation)[0])] * 2
    assert "rasa-a" not in [host for host, _ in fakes.answered]


def test_a_recovered_replica_gets_its_conversations_back() -> None:
    fakes = Replicas()
    bot = fakes.client(retry_after=0)
    conversation = next(c for c in CONVERSATIONS if _first_choice(c) == "rasa-a")
    fakes.outage["rasa-a"] = "refused"
    bot.send(conversation, "while down", None)
    fakes.outage.clear()
    bot.send(conversation, "after", None)
    assert [host for host, _ in fakes.answered][-1] == "rasa-a"
    assert fakes.answered[0][0] != "rasa-a"


def test_a_health_probe_brings_a_replica_back_before_its_retry_time() -> None:
    fakes = Replicas()
    bot = fakes.client(retry_after=3600)
    conversation = next(c for c in CONVERSATIONS if _first_choice(c) == "rasa-c")
    fakes.outage["rasa-c"] = 502
    bot.send(conversation, "while down", None)
    assert [status.ready for status in bot.statuses()] == [True, True, False]
    fakes.outage.clear()
    assert [status.ready for status in bot.statuses()] == [True, True, True]
    bot.send(conversation, "after", None)
    assert fakes.answered[-1][0] == "rasa-c"


def test_a_client_error_is_not_retried_elsewhere() -> None:
    fakes = Replicas()
    bot = fakes.client()
    conversation = CONVERSATIONS[0]
    fakes.outage[_first_choice(conversation)] = 400
    with pytest.raises(BotUnavailable) as raised:
        bot.send(conversation, "hello", None)
    assert raised.value.replica_down is False
    assert fakes.answered == []


def test_with_every_replica_down_the_turn_fails_and_readiness_says_so() -> None:
    fakes = Replicas()
    bot = fakes.client()
    fakes.outage.update({"rasa-a": "refused", "rasa-b": "timeout", "rasa-c": 500})
    with pytest.raises(BotUnavailable):
        bot.send(CONVERSATIONS[0], "hello", None)
    assert bot.is_ready() is False
    fakes.outage["rasa-b"] = None
    assert bot.is_ready() is True


def test_a_restart_goes_to_the_first_replica_that_is_up() -> None:
    fakes = Replicas()
    bot = fakes.client()
    conversation = CONVERSATIONS[1]
    fakes.outage[_first_choice(conversation)] = "refused"
    bot.restart(conversation)
    assert fakes.restarted == [_host(URLS[rendezvous_order(URLS, conversation)[1]])]


def test_settings_read_several_rasa_urls_or_fall_back_to_rasa_url() -> None:
    several = Settings(_env_file=None, rasa_urls=" http://a:5005/, http://b:5005 ,", rasa_url="http://x:1")
    assert several.rasa_replica_urls == ["http://a:5005", "http://b:5005"]
    assert Settings(_env_file=None, rasa_url="http://x:1").rasa_replica_urls == ["http://x:1"]


def test_rasa_urls_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASA_URLS", "http://one:5005,http://two:5005")
    assert Settings(_env_file=None).rasa_replica_urls == ["http://one:5005", "http://two:5005"]
