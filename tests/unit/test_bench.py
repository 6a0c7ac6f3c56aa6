"""The bench's own arithmetic, its side-by-side table, the topology-skip reason, its memory
walk, its voice caller (against a fake gateway), its concurrent runner against a fake Rasa and
its outbox watcher: the figures it prints are only as good as these.  No timing is asserted."""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest
from sqlalchemy import select

from assistant.store.engine import session_scope
from assistant.store.models import Author, Channel, Conversation, Direction, Message, MessageStatus, Practice
from bench import side_by_side, sms_turns, summary, texting, topology, voice
from bench.load import Recorder, Run, run_concurrently
from bench.memory import TreeMemory, descendants, tree_memory
from bench.report import Row, line, percentile
from bench.stack_runs import StackFigures
from tests.support.fake_rasa import FakeRasa

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


def _run(concurrency: int, samples: list[float], wall_seconds: float, metric: str = "turn") -> Run:
    recorder = Recorder()
    recorder.samples[metric].extend(samples)
    return Run(concurrency, wall_seconds, recorder)


def test_side_by_side_figures_are_throughput_and_nearest_rank_percentiles() -> None:
    found = side_by_side.figures([float(value) for value in range(100, 0, -1)], wall_seconds=4.0)
    assert found == side_by_side.Figures(turns_per_second=25.0, p50_ms=50.0, p99_ms=99.0, samples=100)
    assert side_by_side.figures([], 1.0) is None


def test_the_side_by_side_table_puts_each_level_in_its_own_columns_and_the_ratio_below() -> None:
    direct, chat = side_by_side.Measured("Rasa straight"), side_by_side.Measured("web chat turn")
    direct.record(_run(1, [10.0, 20.0], 1.0), "turn")
    direct.record(_run(16, [100.0] * 40, 2.0), "turn")
    chat.record(_run(16, [300.0] * 19 + [900.0], 1.0), "turn")
    printed = side_by_side.table("T", [direct, chat], {"chat / direct": (chat, direct)}, (1, 8, 16)).splitlines()
    assert printed[0:3] == ["", "T", printed[2]] and "16 at once" in printed[2]
    assert printed[4].split() == ["Rasa", "straight", "2.0", "10", "20", "-", "20.0", "100", "100"]
    assert printed[5].split() == ["web", "chat", "turn", "-", "-", "20.0", "300", "900"]
    assert printed[-1].split() == ["chat", "/", "direct", "-", "-", "1.00x"]


def test_a_target_says_whether_this_run_met_it() -> None:
    assert side_by_side.Target("ack p99 <= 50 ms", 49.5, 50, at_most=True).line().endswith("49.50 (met)")
    assert side_by_side.Target("ack p99 <= 50 ms", 51.0, 50, at_most=True).line().endswith("(missed)")
    assert side_by_side.Target("chat >= 0.95x", 0.9, 0.95, at_most=False).line().endswith("(missed)")
    assert side_by_side.Target("chat >= 0.95x", None, 0.95, at_most=False).line().endswith("not measured")


@pytest.mark.parametrize(
    ("environ", "missing"),
    [
        ({}, ["PostgreSQL server URL", "REDIS_URL"]),
        ({"REDIS_URL": "redis://127.0.0.1:6379/0"}, ["BENCH_POSTGRES_URL or TEST_POSTGRES_URL"]),
        ({"TEST_POSTGRES_URL": "postgresql+psycopg://db/postgres"}, ["REDIS_URL=redis://"]),
        ({"BENCH_POSTGRES_URL": "sqlite:///x.db", "REDIS_URL": "redis://r"}, ["is not postgresql://"]),
    ],
)
def test_the_replica_topology_is_skipped_with_the_reason(environ: dict[str, str], missing: list[str]) -> None:
    reason = topology.replica_servers(environ)
    assert isinstance(reason, str) and reason.startswith("skipped the 2-gateway x 2-Rasa run")
    assert all(part in reason for part in missing), reason


def test_the_replica_topology_prefers_the_bench_server_and_says_which_server_did_not_answer() -> None:
    environ = {
        "BENCH_POSTGRES_URL": "postgresql://bench/postgres",
        "TEST_POSTGRES_URL": "postgresql://test/postgres",
        "REDIS_URL": "redis://r:6379/0",
    }
    servers = topology.replica_servers(environ)
    assert servers == topology.ReplicaServers("postgresql://bench/postgres", "redis://r:6379/0")
    assert topology.replica_servers({**environ, "BENCH_POSTGRES_URL": ""}) == topology.ReplicaServers(
        "postgresql://test/postgres", "redis://r:6379/0"
    )

    def refused(_url: str) -> None:
        raise ConnectionRefusedError

    assert topology.unreachable(servers, lambda _url: None, lambda _url: None) == ""
    assert "Redis did not answer (ConnectionRefusedError)" in topology.unreachable(servers, lambda _u: None, refused)
    assert "PostgreSQL did not answer" in topology.unreachable(servers, refused, lambda _u: None)


def _fake_process(proc: Path, pid: int, parent: int, rss_kib: int, pss_kib: int | None) -> None:
    (proc / str(pid)).mkdir()
    (proc / str(pid) / "stat").write_text(f"{pid} (python -m x) S {parent} {pid} {pid} 0")
    (proc / str(pid) / "status").write_text(f"Name:\tpython\nVmRSS:\t{rss_kib} kB\n")
    if pss_kib is not None:
        (proc / str(pid) / "smaps_rollup").write_text(f"Rss: {rss_kib} kB\nPss: {pss_kib} kB\n")


def test_memory_counts_grandchildren_and_not_strangers(tmp_path: Path) -> None:
    # supervisor 1 -> lifeline wrapper 10 -> server 20 -> workers 30, 31; 40 is someone else's.
    for pid, parent, rss in (
        (1, 0, 1024),
        (10, 1, 1024),
        (20, 10, 4096),
        (30, 20, 2048),
        (31, 20, 2048),
        (40, 1, 9999),
    ):
        _fake_process(tmp_path, pid, parent, rss, rss // 2)
    assert descendants(10, {10: 1, 20: 10, 30: 20, 31: 20, 40: 1}) == [20, 30, 31]
    memory = tree_memory(10, proc=tmp_path)
    assert memory.processes == 4 and memory.rss_mb == 9.0 and memory.pss_mb == 4.5
    _fake_process(tmp_path, 32, 20, 1024, None)  # PSS unknown for one process: no PSS total
    assert tree_memory(10, proc=tmp_path).pss_mb is None


def test_concurrent_rasa_senders_against_a_fake_rasa_record_every_turn() -> None:
    rasa = FakeRasa().start()
    try:
        sessions = [texting.ChatSession(f"sender-{index}", "token") for index in range(4)]
        run = run_concurrently(4, texting.rasa_sender([rasa.url], sessions, ["hi", "thanks", "hi"]))
    finally:
        rasa.stop()
    assert run.concurrency == 4 and len(run.recorded.samples[texting.RASA]) == 12
    assert sorted(rasa.heard) == ["hi"] * 8 + ["thanks"] * 4
    assert side_by_side.figures(run.recorded.samples[texting.RASA], run.wall_seconds) is not None


def test_a_fake_rasa_that_fails_fails_the_concurrent_run() -> None:
    rasa = FakeRasa().start()
    url = rasa.url
    rasa.stop()  # nobody listening any more: every post is refused
    with pytest.raises(httpx.TransportError):
        run_concurrently(2, texting.rasa_sender([url], [texting.ChatSession("a", "t")] * 2, ["hi"]))


def _text_with_reply_later(database_url: str, sid: str) -> tuple[str, str]:
    with session_scope(database_url) as session:
        practice_id = session.scalars(select(Practice.id)).first()
        assert practice_id is not None
        conversation = Conversation(practice_id=practice_id, channel=Channel.SMS, address="+15553109999")
        session.add(conversation)
        session.flush()
        request_id = f"request-{sid}"
        session.add(
            Message(
                conversation_id=conversation.id,
                direction=Direction.INBOUND,
                author=Author.CLIENT,
                text="hi",
                status=MessageStatus.PROCESSED,
                request_id=request_id,
                external_id=sid,
            )
        )
        return conversation.id, request_id


def test_the_outbox_watcher_sees_a_reply_only_once_it_is_queued(demo_database_url: str) -> None:
    conversation_id, request_id = _text_with_reply_later(demo_database_url, "SMbench1")
    with sms_turns.OutboxWatcher(demo_database_url) as watcher:
        arrived = watcher.expect("SMbench1")
        other = watcher.expect("SMnever")
        assert not arrived.wait(timeout=0.2)  # no reply yet: still waiting after several polls
        with session_scope(demo_database_url) as session:
            session.add(
                Message(
                    conversation_id=conversation_id,
                    direction=Direction.OUTBOUND,
                    author=Author.BOT,
                    text="Hello!",
                    status=MessageStatus.QUEUED,
                    request_id=request_id,
                )
            )
        assert arrived.wait(timeout=10)
        assert not other.is_set()
        with pytest.raises(sms_turns.NoReply, match="1 acknowledged texts had no reply"):
            watcher.wait_all(timeout=0.2)


def test_the_summary_prints_every_path_the_targets_and_why_the_replicas_were_skipped(
    capsys: pytest.CaptureFixture[str],
) -> None:
    single = StackFigures("1x1", "SQLite")
    single.path(texting.RASA).record(_run(16, [100.0] * 40, 2.0), "turn")  # 20 turns/s
    single.path(texting.CHAT).record(_run(16, [200.0] * 38, 2.0), "turn")  # 19 turns/s: 0.95x
    single.path(sms_turns.SMS_TURN).record(_run(16, [900.0] * 20, 2.0), "turn")
    single.path(summary.ACK_ALONE).record(_run(16, [20.0] * 98 + [60.0] * 2, 2.0), "turn")
    single.memory = [("rasa", TreeMemory(processes=2, rss_mb=600.0, pss_mb=None))]
    reason = topology.replica_servers({})
    assert isinstance(reason, str)
    summary.print_all(single, reason)
    printed = capsys.readouterr().out
    for label in ("(a) 1x1 Rasa straight", "(b) 1x1 web chat turn", "(c) 1x1 SMS full turn", "(d) 1x1 SMS webhook"):
        assert label in printed
    assert f"(e) {reason}" in printed
    assert "1x1 SMS ack p99 <= 50 ms at 16: 60.00 (missed)" in printed
    assert "1x1 full SMS turn p99 <= 1000 ms at 16: 900.00 (met)" in printed
    assert "web chat turns/s >= 0.95x Rasa straight at 16: 0.95 (met)" in printed
    assert "2x2" not in printed.split("Targets")[1]  # no replica targets without the replica run
    assert [line.split() for line in printed.splitlines() if line.startswith("rasa ")] == [["rasa", "2", "600.0", "-"]]
