"""`assistant call`'s TwiML player (assistant/call_cli): it plays TwiML as Twilio does and posts
the webhook Twilio would post next, signed as Twilio signs it.

Most tests answer with fixed TwiML from a fake gateway that records every request; the last
ones play whole calls against the real gateway in-process (no Rasa needed: keypad 0 and a
hang-up never reach the bot)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from assistant.api.main import create_app
from assistant.call_cli import (
    Caller,
    CallPlayer,
    GatewayDown,
    GatewayError,
    PlayError,
    call,
    heard_fields,
    latest_message_id,
    texts_since,
)
from assistant.config import Settings
from assistant.stack import free_port
from assistant.store.engine import session_scope
from assistant.store.models import Practice
from tests.support.databases import copy_sqlite

PUBLIC = "https://frontdesk.lakeside.example"
TOKEN = "test-auth-token-0123456789"
ACCOUNT = "AC" + "1" * 32
CALLER, PRACTICE = "+15555550177", "+15555550100"  # the caller's number is on no client's file

GREETING = (
    '<?xml version="1.0" encoding="UTF-8"?><Response>'
    '<Gather action="/twilio/voice/gather?turn=1" actionOnEmptyResult="true" finishOnKey="#" '
    'input="dtmf speech" method="POST" numDigits="1" timeout="5">'
    "<Say>Hello &amp; welcome.</Say><Say>How can I help?</Say></Gather></Response>"
)
GOODBYE = "<Response><Say>Goodbye.</Say><Pause length='1'/><Hangup/></Response>"
VOICEMAIL = (
    "<Response><Say>Leave a message.</Say>"
    '<Record action="/twilio/voice/recording?event=recorded" method="POST" maxLength="120" '
    'transcribe="true" transcribeCallback="/twilio/voice/recording?event=transcribed"/><Hangup/></Response>'
)


@dataclass
class FakeGateway:
    """Answers each webhook with the next document (status and transcription callbacks: 204)."""

    documents: list[str]
    failing: str | None = None  # webhooks to this path prefix answer 500
    requests: list[tuple[str, dict[str, str], dict[str, str]]] = field(default_factory=list)

    def post(self, url: str, *, data: dict[str, str], headers: dict[str, str]) -> httpx.Response:
        self.requests.append((url, data, headers))
        if self.failing and url.startswith(self.failing):
            return httpx.Response(500, text='{"detail": "internal error"}')
        if url == "/twilio/voice/status" or "event=transcribed" in url:
            return httpx.Response(204)
        return httpx.Response(200, text=self.documents.pop(0))

    @property
    def paths(self) -> list[str]:
        return [path for path, _form, _headers in self.requests]

    def form(self, path: str) -> dict[str, str]:
        return next(form for posted, form, _headers in self.requests if posted == path)


@dataclass
class Played:
    gateway: FakeGateway
    player: CallPlayer
    heard: list[str]  # what the caller's terminal shows, in order


def play(
    documents: list[str],
    script: list[str] | None,
    *,
    clock: list[float] | None = None,
    hang_up_after: int | None = None,
    dial: str = "no-answer",
    failing: str | None = None,
) -> Played:
    heard: list[str] = []
    gateway = FakeGateway(documents, failing)
    ticks = iter(clock or [0.0, 0.0])
    player = CallPlayer(
        gateway,
        Caller(script, hang_up_after=hang_up_after, echo=heard.append),
        public_base_url=PUBLIC,
        auth_token=TOKEN,
        account_sid=ACCOUNT,
        from_number=CALLER,
        to_number=PRACTICE,
        say=heard.append,
        clock=lambda: next(ticks),
        dial=dial,
    )
    player.play()
    return Played(gateway, player, heard)


def test_says_are_printed_and_speech_goes_to_the_gather_action_with_its_query() -> None:
    played = play([GREETING, GOODBYE], ["I need to move my appointment"], clock=[100.0, 107.6])

    assert played.heard == [
        "practice: Hello & welcome.",
        "practice: How can I help?",
        "you: I need to move my appointment",
        "practice: Goodbye.",
        "[the practice hangs up]",
    ]
    assert played.gateway.paths == ["/twilio/voice", "/twilio/voice/gather?turn=1", "/twilio/voice/status"]
    incoming = played.gateway.form("/twilio/voice")
    assert re.fullmatch(r"CA[0-9a-f]{32}", incoming["CallSid"])
    assert incoming | {"CallSid": "x"} == {
        "CallSid": "x",
        "AccountSid": ACCOUNT,
        "From": CALLER,
        "To": PRACTICE,
        "Caller": CALLER,
        "Called": PRACTICE,
        "CallStatus": "ringing",
        "Direction": "inbound",
        "ApiVersion": "2010-04-01",
    }
    turn = played.gateway.form("/twilio/voice/gather?turn=1")
    assert turn["CallSid"] == incoming["CallSid"] and turn["CallStatus"] == "in-progress"
    assert (turn["SpeechResult"], turn["Confidence"]) == ("I need to move my appointment", "0.92")
    assert "Digits" not in turn
    ended = played.gateway.form("/twilio/voice/status")
    assert (ended["CallStatus"], ended["CallDuration"], ended["AccountSid"]) == ("completed", "7", ACCOUNT)


@pytest.mark.parametrize(
    ("line", "num_digits", "posted"),
    [
        ("0", 1, {"Digits": "0"}),
        ("12", 1, {"Digits": "1"}),  # numDigits=1: Twilio stops at the first key
        ("03141990", 8, {"Digits": "03141990"}),
        ("2#", None, {"Digits": "2"}),  # the finish key ends the input and is not sent
        ("*9", None, {"Digits": "*9"}),
        ("#", None, {}),
        ("  ", None, {}),
        ("two", 1, {"SpeechResult": "two", "Confidence": "0.92"}),
        ("0314 1990", 8, {"SpeechResult": "0314 1990", "Confidence": "0.92"}),
    ],
)
def test_keys_are_digits_and_anything_else_is_speech(line: str, num_digits: int | None, posted: dict[str, str]) -> None:
    assert heard_fields(line, num_digits=num_digits) == posted


def test_keys_at_a_gather_are_posted_as_digits_up_to_its_num_digits() -> None:
    date_of_birth = GREETING.replace('numDigits="1"', 'numDigits="8"')
    played = play([date_of_birth, GOODBYE], ["03141990"])
    turn = played.gateway.form("/twilio/voice/gather?turn=1")
    assert turn["Digits"] == "03141990" and "SpeechResult" not in turn

    played = play([GREETING, GOODBYE], ["12"])
    assert played.gateway.form("/twilio/voice/gather?turn=1")["Digits"] == "1"


def test_silence_posts_nothing_heard_when_the_gather_asks_for_empty_results() -> None:
    played = play([GREETING, GOODBYE], [""])
    turn = played.gateway.form("/twilio/voice/gather?turn=1")
    assert not {"SpeechResult", "Confidence", "Digits"} & turn.keys()


def test_silence_at_a_gather_without_action_on_empty_result_goes_on_with_the_next_verb() -> None:
    document = GREETING.replace(' actionOnEmptyResult="true"', "").replace("</Response>", "<Say>Bye.</Say></Response>")
    played = play([document], [""])
    assert played.gateway.paths == ["/twilio/voice", "/twilio/voice/status"]
    assert played.heard[-2:] == ["practice: Bye.", "[the call ends]"]


def test_a_redirect_is_posted_with_the_call_fields_and_its_query_string() -> None:
    filler = (
        "<Response><Say>One moment.</Say>"
        '<Redirect method="POST">/twilio/voice/gather?turn=2&amp;pickup=5&amp;waits=1</Redirect></Response>'
    )
    played = play([GREETING, filler, GOODBYE], ["hi"])
    assert played.gateway.paths[2] == "/twilio/voice/gather?turn=2&pickup=5&waits=1"
    redirected = played.gateway.form("/twilio/voice/gather?turn=2&pickup=5&waits=1")
    assert redirected["CallStatus"] == "in-progress" and "SpeechResult" not in redirected


TRANSFER = (
    "<Response><Say>Connecting you.</Say>"
    '<Dial action="/twilio/voice/dial-result?target=front_desk" method="POST" timeout="20">'
    "<Number>+15555550150</Number><Number>+15555550151</Number></Dial></Response>"
)


@pytest.mark.parametrize(
    ("dial", "dial_status", "seconds"),
    [("no-answer", "no-answer", "0"), ("busy", "busy", "0"), ("answered", "completed", "30")],
)
def test_a_dial_is_announced_and_its_outcome_posted_to_its_action(dial: str, dial_status: str, seconds: str) -> None:
    played = play([TRANSFER, GOODBYE], None, dial=dial)
    assert "[dialling +15555550150, +15555550151]" in played.heard
    result = played.gateway.form("/twilio/voice/dial-result?target=front_desk")
    assert (result["DialCallStatus"], result["DialCallDuration"]) == (dial_status, seconds)
    assert ("DialCallSid" in result) is (dial == "answered")
    assert played.gateway.form("/twilio/voice/status")["CallDuration"] == seconds  # the talk counts


def test_a_voicemail_is_recorded_and_transcribed_after_the_call_as_twilio_reports_it() -> None:
    message = "please call me back about Thursday"
    played = play([VOICEMAIL, GOODBYE], [message])
    assert "[recording: type the caller's message]" in played.heard
    assert played.gateway.paths == [
        "/twilio/voice",
        "/twilio/voice/recording?event=recorded",
        "/twilio/voice/status",
        "/twilio/voice/recording?event=transcribed",
    ]
    recorded = played.gateway.form("/twilio/voice/recording?event=recorded")
    sid = recorded["RecordingSid"]
    assert re.fullmatch(r"RE[0-9a-f]{32}", sid)
    assert recorded["RecordingUrl"] == f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Recordings/{sid}"
    assert recorded["RecordingDuration"] == str(len(message.split()) // 2 + 1)
    transcribed = played.gateway.form("/twilio/voice/recording?event=transcribed")
    assert (transcribed["TranscriptionText"], transcribed["TranscriptionStatus"]) == (message, "completed")
    assert transcribed["RecordingSid"] == sid and transcribed["CallSid"] == recorded["CallSid"]


def test_an_empty_voicemail_is_a_silent_recording_with_nothing_to_transcribe() -> None:
    played = play([VOICEMAIL, GOODBYE], [""])
    assert played.gateway.form("/twilio/voice/recording?event=recorded")["RecordingDuration"] == "0"
    assert not any("transcribed" in path for path in played.gateway.paths)


def test_hanging_up_during_the_recording_still_reports_it_and_plays_nothing_more() -> None:
    played = play([VOICEMAIL, GOODBYE], [])
    recorded = played.gateway.form("/twilio/voice/recording?event=recorded")
    assert (recorded["Digits"], recorded["RecordingDuration"]) == ("hangup", "0")
    assert played.gateway.paths[-1] == "/twilio/voice/status"
    assert "practice: Goodbye." not in played.heard  # Twilio ignores the TwiML once the caller is gone


def test_twiml_that_redirects_to_itself_forever_is_stopped() -> None:
    loop = '<Response><Redirect method="POST">/twilio/voice</Redirect></Response>'
    with pytest.raises(PlayError, match="looping"):
        play([loop] * 300, [])


def test_hanging_up_at_once_is_a_no_answer_call_with_nothing_played() -> None:
    played = play([GREETING], ["hi"], hang_up_after=0)
    assert played.gateway.paths == ["/twilio/voice", "/twilio/voice/status"]
    ended = played.gateway.form("/twilio/voice/status")
    assert (ended["CallStatus"], ended["CallDuration"]) == ("no-answer", "0")
    assert not any(line.startswith("practice:") for line in played.heard)


@pytest.mark.parametrize(("script", "hang_up_after"), [(["hi"], None), (["hi", "more"], 1)])
def test_the_caller_hangs_up_at_the_next_gather_once_done_talking(script: list[str], hang_up_after: int | None) -> None:
    played = play([GREETING, GREETING], script, hang_up_after=hang_up_after)
    assert played.gateway.paths == ["/twilio/voice", "/twilio/voice/gather?turn=1", "/twilio/voice/status"]
    assert played.heard[-1] == "[you hang up]"
    assert played.gateway.form("/twilio/voice/status")["CallStatus"] == "completed"


def test_typed_lines_are_read_with_a_prompt_and_end_of_input_is_silence() -> None:
    prompts: list[str] = []

    def read(prompt: str) -> str:
        prompts.append(prompt)
        if len(prompts) == 1:
            return "  cancel my session \n"
        raise EOFError

    caller = Caller(read=read)
    assert (caller.next_line(), caller.next_line(), prompts) == ("cancel my session", "", ["you: ", "you: "])


def test_every_webhook_is_signed_as_twilio_signs_it_for_the_public_url() -> None:
    played = play([GREETING, VOICEMAIL, GOODBYE], ["0", "call me"])
    validator = RequestValidator(TOKEN)
    assert len(played.player.webhooks) == len(played.gateway.requests) == 5
    for webhook, (path, form, headers) in zip(played.player.webhooks, played.gateway.requests, strict=True):
        assert headers["X-Twilio-Signature"] == webhook.signature
        assert validator.validate(f"{PUBLIC}{path}", form, webhook.signature)
        assert not validator.validate(f"{PUBLIC}{path}", {**form, "From": "+15555550999"}, webhook.signature)
        assert not RequestValidator("another-token").validate(f"{PUBLIC}{path}", form, webhook.signature)


def test_a_non_2xx_answer_is_an_error_and_the_call_is_still_reported_ended() -> None:
    gateway = FakeGateway([GREETING], failing="/twilio/voice/gather")
    quiet = Caller(["hi"], echo=lambda _: None)
    player = CallPlayer(gateway, quiet, PUBLIC, TOKEN, ACCOUNT, CALLER, PRACTICE, say=lambda _: None)
    with pytest.raises(GatewayError) as failure:
        player.play()
    assert (failure.value.status_code, failure.value.path) == (500, "/twilio/voice/gather?turn=1")
    assert "500" in str(failure.value) and "internal error" in str(failure.value)
    assert gateway.paths == ["/twilio/voice", "/twilio/voice/gather?turn=1", "/twilio/voice/status"]


def test_nothing_listening_is_gateway_down() -> None:
    with httpx.Client(base_url=f"http://127.0.0.1:{free_port()}") as http:
        player = CallPlayer(http, Caller([]), PUBLIC, TOKEN, ACCOUNT, CALLER, PRACTICE)
        with pytest.raises(GatewayDown):
            player.play()


@pytest.mark.parametrize(
    "redirect",
    ['<Redirect method="POST">https://elsewhere.example/twiml</Redirect>', '<Redirect method="GET">/x</Redirect>'],
)
def test_twiml_that_leaves_the_gateway_or_is_not_a_post_is_refused(redirect: str) -> None:
    with pytest.raises(PlayError):
        play([f"<Response>{redirect}</Response>"], [])


# The real gateway, in-process: its signature check, its TwiML and the texts it sends.


@pytest.fixture
def demo_settings(demo_database_url: str) -> Settings:
    nowhere = f"http://127.0.0.1:{free_port()}"  # no Rasa: these calls never reach the bot
    return Settings(
        assistant_env="test",
        database_url=demo_database_url,
        rasa_url=nowhere,
        action_server_url=nowhere,
        rasa_timeout_seconds=2,
        public_base_url=PUBLIC,
        twilio_auth_token=TOKEN,
    )


@pytest.fixture
def demo_gateway(demo_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(demo_settings)) as client:
        yield client


def call_the_gateway(gateway: TestClient, settings: Settings, caller: Caller) -> tuple[CallPlayer, list[str]]:
    with session_scope(settings.database_url) as session:
        since = latest_message_id(session)
        practice_id = session.scalars(select(Practice.id).where(Practice.slug == settings.practice_slug)).one()
    player = CallPlayer(
        gateway,
        caller,
        settings.public_base_url,
        settings.twilio_auth_token,
        "AC" + "0" * 32,  # no account configured: the demo placeholder, as `assistant call` signs
        CALLER,
        PRACTICE,
        say=lambda _: None,
    )
    player.play()
    with session_scope(settings.database_url) as session:
        return player, texts_since(session, practice_id, CALLER, since)


def test_a_caller_who_hangs_up_at_once_gets_the_missed_call_text(
    demo_gateway: TestClient, demo_settings: Settings
) -> None:
    player, texts = call_the_gateway(demo_gateway, demo_settings, Caller([], hang_up_after=0, echo=lambda _: None))
    assert [webhook.path for webhook in player.webhooks] == ["/twilio/voice", "/twilio/voice/status"]
    assert len(texts) == 1 and "missed your call" in texts[0]


def test_keypad_zero_then_a_voicemail_is_confirmed_by_text(demo_gateway: TestClient, demo_settings: Settings) -> None:
    # In hours the front desk is dialled first (nobody answers), out of hours straight to voicemail.
    player, texts = call_the_gateway(
        demo_gateway, demo_settings, Caller(["0", "please call me back"], echo=lambda _: None)
    )
    paths = [webhook.path for webhook in player.webhooks]
    assert paths[:2] == ["/twilio/voice", "/twilio/voice/gather?turn=1"]
    assert paths[-3:] == [
        "/twilio/voice/recording?event=recorded",
        "/twilio/voice/status",
        "/twilio/voice/recording?event=transcribed",
    ]
    assert len(texts) == 1 and "voicemail" in texts[0]


def test_the_command_says_so_when_the_gateway_is_not_running(
    demo_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    stopped = demo_settings.model_copy(update={"port": free_port()})
    assert call(stopped, CALLER, script=["hi"]) == 1
    assert "is not answering" in capsys.readouterr().err


def test_the_command_says_so_when_there_is_no_practice(
    migrated_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = Settings(assistant_env="test", database_url=copy_sqlite(migrated_template, tmp_path / "empty.db"))
    assert call(empty, CALLER, script=["hi"]) == 1
    assert "no practice yet" in capsys.readouterr().err
