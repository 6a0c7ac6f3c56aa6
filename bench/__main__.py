"""Prints per-message latency and memory figures for the front desk.

Runs against a throwaway database and the real stack on free ports (the model is
reused from models/ when up to date), so it measures what a client would feel.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from assistant.demo import load_demo_data
from assistant.screen.crisis import assess
from assistant.screen.redaction import redact
from assistant.services.appointments import find_open_slots
from assistant.sms_cli import twilio_form
from assistant.stack import Stack, StackConfig, free_port
from assistant.store.engine import session_scope
from assistant.store.migrate import upgrade
from assistant.store.models import Clinician, utcnow
from assistant.training import ensure_model

AUTH_TOKEN = "bench-auth-token"
SAMPLE_MESSAGES = [
    "hey can i move my appt to friday afternoon",
    "whats my zoom link",
    "i cant log into the portal",
    "this portal is killing me lol",
    "my card is 4242 4242 4242 4242",
    "cancel",
    "2",
    "yes",
    "i dont want to be alive anymore",
    "can i talk to a person",
    "do you take aetna?",
]


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(name: str, samples: list[float], unit: str = "ms") -> None:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    print(
        f"{name:<44} n={len(samples):<5} p50={statistics.median(ordered):8.2f} {unit}"
        f"  p95={p95:8.2f} {unit}  max={ordered[-1]:8.2f} {unit}"
    )


def rss_mb(pid: int) -> float:
    total = 0
    for child in [pid, *_children(pid)]:
        status = Path(f"/proc/{child}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def _children(pid: int) -> list[int]:
    found = []
    for path in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = path.read_text().split(") ")[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(path.parent.name))
    return found


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="front-desk-bench-"))
    database_url = f"sqlite:///{workdir / 'bench.db'}"
    upgrade(database_url)
    with session_scope(database_url) as session:
        load_demo_data(session)
        clinician_id = session.scalars(select(Clinician.id)).first()

    print("In process")
    assess("warm up the spaCy pipeline")
    report(
        "message screen (redaction + crisis)",
        timed(lambda: [assess(redact(text).text) for text in SAMPLE_MESSAGES], 200),
        "ms/11 msgs",
    )
    with session_scope(database_url) as session:
        report(
            "open-slot search (28 days, 40 candidates)",
            timed(lambda: find_open_slots(session, clinician_id, utcnow(), limit=40), 100),
        )

    port = free_port()
    config = StackConfig(
        model=ensure_model(),
        database_url=database_url,
        gateway_port=port,
        rasa_port=free_port(),
        action_port=free_port(),
        log_dir=workdir / "logs",
        extra_env={
            "ASSISTANT_ENV": "test",
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        },
    )
    stack = Stack(config)
    started = time.perf_counter()
    stack.start()
    print(f"\nStack ready in {time.perf_counter() - started:.1f} s")
    try:
        with httpx.Client(base_url=config.gateway_url, timeout=60) as http:
            created = http.post("/api/chat/sessions", json={"name": "Jordan Lee", "date_of_birth": "1990-04-12"})
            session_id, token = created.json()["session_id"], created.json()["token"]
            auth = {"Authorization": f"Bearer {token}"}
            texts = iter(["hi", "whats my zoom link", "when is my next session", "thanks"] * 50)
            report(
                "web chat turn (gateway + Rasa + actions)",
                timed(
                    lambda: http.post(
                        f"/api/chat/sessions/{session_id}/messages", json={"text": next(texts)}, headers=auth
                    ),
                    100,
                ),
            )

            def text_once() -> None:
                form = twilio_form(
                    from_number=f"+1555900{int(time.time_ns()) % 10000:04d}",
                    to_number="+15555550100",
                    body="hi",
                    account_sid="",
                )
                signature = RequestValidator(AUTH_TOKEN).compute_signature(f"{config.gateway_url}/twilio/sms", form)
                http.post("/twilio/sms", data=form, headers={"X-Twilio-Signature": signature})

            report("SMS webhook acknowledged (persist + TwiML)", timed(text_once, 100))
        print("\nResident memory")
        for name, process in stack.processes.items():
            print(f"{name:<44} {rss_mb(process.pid):8.1f} MB")
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
