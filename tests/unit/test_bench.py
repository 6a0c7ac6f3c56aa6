"""The bench's own arithmetic and its voice caller (against a fake gateway): the figures
it prints are only as good as these."""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs

import httpx
import pytest

from bench import voice
from bench.load import Recorder, run_concurrently
from bench.report import Row, line, percentile

FILLER = (
    "<Response><Say>One moment.</Say>"
    '<Redirect method="POST">/twilio/voice/gather?turn=1&amp;pickup=7&amp;waits=1</Redirect></Response>'
)
REPLY = (
    '<Response><Gather action="/twilio/voice/gather?turn=2" numDigits="1">'
    "<Say>Your session is Friday.</Say></Gather></Response>"
)


def test_percentiles_are_nearest_rank() -> None:
    ordered = [float(value) for value in range(1, 101)]
    assert [percentile(ordered, q) for q in (0.5, 0.95, 0.99, 1.0)] == [50.0, 95.0, 99.0, 100.0]
    assert percentile([3.0, 9.0], 0.99) == 9.0  # few samples: p99 is the maximum


def test_a_row_prints_its_percentiles_in_order() -> None:
    printed = line(Row("web chat turn", [40.0, 10.0, 30.0, 20.0], concurrency=8, wall_seconds=2.0))
    assert printed.split()[3:10] == ["8", "4", "20.0", "40.0", "40.0", "40.0", "2.0"]


def test_concurrent_workers_start_together_and_their_samples_are_merged() -> None:
    seen: set[str] = set()
    # Passed only when all four are running at once; workers run one after another would time out.
    all_running = threading.Barrier(4, timeout=10)

    def worker(index: int, recorder: Recorder) -> None:
        seen.add(threading.current_thread().name)
        all_running.wait()
        recorder.samples["turn"].extend([float(index)] * 3)
        recorder.counts["turns"] += 3

    run = run_concurrently(4, worker)
    assert sorted(run.recorded.samples["turn"]) == [0.0] * 3 + [1.0] * 3 + [2.0] * 3 + [3.0] * 3
    assert run.recorded.counts["turns"] == 12 and len(seen) == 4


def test_a_failing_worker_fails_the_run() -> None:
    def worker(index: int, recorder: Recorder) -> None:
        if index == 1:
            raise RuntimeError("gateway answered 500")

    with pytest.raises(RuntimeError, match="500"):
        run_concurrently(2, worker)


def test_a_voice_turn_follows_the_filler_and_times_both_answers() -> None:
    posted: list[tuple[str, dict[str, list[str]]]] = []

    def gateway(request: httpx.Request) -> httpx.Response:
        assert request.headers["X-Twilio-Signature"]
        form = parse_qs(request.content.decode())
        posted.append((request.url.params.get("pickup", ""), form))
        return httpx.Response(200, text=FILLER if "pickup" not in request.url.params else REPLY)

    with httpx.Client(base_url="http://gateway", transport=httpx.MockTransport(gateway)) as http:
        call = voice.Call(http, "http://gateway", "token", "+15553100000")
        call.gather = ET.fromstring(REPLY.replace("turn=2", "turn=1")).find("Gather")
        recorder = Recorder()
        call.turn(recorder, SpeechResult="when is my next session")
    assert [pickup for pickup, _ in posted] == ["", "7"]
    assert posted[0][1]["SpeechResult"] == ["when is my next session"]
    assert "SpeechResult" not in posted[1][1]  # Twilio's redirect carries no speech
    first, full = recorder.samples[voice.FIRST], recorder.samples[voice.FULL]
    assert len(first) == len(full) == 1 and full[0] >= first[0]
    assert recorder.counts[voice.FILLERS] == 1 and recorder.counts[voice.TURNS] == 1
    assert call.listening and call.gather is not None and call.gather.get("action") == "/twilio/voice/gather?turn=2"
