"""`assistant`: set up, run, talk to and check the front desk from a terminal."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from assistant.config import PROJECT_ROOT, ConfigError, get_settings

DEMO_HISTORY_DAYS = 90  # what `make run` adds to a fresh demo database (once)


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def cmd_migrate(_args: argparse.Namespace) -> int:
    from assistant.store.migrate import upgrade

    upgrade(get_settings().database_url)
    print("database is up to date")
    return 0


def cmd_demo_data(_args: argparse.Namespace) -> int:
    from assistant.demo import load_demo_data
    from assistant.store.engine import session_scope
    from assistant.store.migrate import upgrade

    settings = get_settings()
    if settings.is_production:
        return _fail("demo data is refused when ASSISTANT_ENV=production")
    upgrade(settings.database_url)
    with session_scope(settings.database_url) as session:
        summary = load_demo_data(session)
    print(f"demo data ready: {summary}")
    # `assistant run` (`make run`) has no --history option: it loads the demo with its history.
    history_days = getattr(_args, "history", DEMO_HISTORY_DAYS)
    if history_days:
        from assistant.demo.history import DEFAULT_SEED, load_demo_history

        seed = getattr(_args, "seed", None)
        seed = DEFAULT_SEED if seed is None else seed
        with session_scope(settings.database_url) as session:
            history = load_demo_history(session, days=history_days, seed=seed)
        print(f"demo history: {history}" if history.added else "demo history: already loaded, nothing added")
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from assistant.training import ensure_model, model_path

    if model_path().exists() and not args.force:
        print(f"model is up to date: {model_path().name}")
        return 0
    print("training the dialogue model (a few minutes on 2 cores)...", flush=True)
    print(f"trained: {ensure_model(force=args.force).name}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from assistant.logs import configure
    from assistant.stack import Stack, StackConfig
    from assistant.training import model_path

    settings = get_settings()
    var_dir = Path(args.var_dir)
    config = StackConfig(  # checked before migrating: a refused topology changes nothing
        model=model_path(),
        database_url=settings.database_url,
        gateway_port=settings.port,
        host=settings.host,
        rasa_port=int(os.environ.get("RASA_PORT", 5005)),
        action_port=int(os.environ.get("ACTION_PORT", 5055)),
        gateways=args.gateways,
        rasa_replicas=args.rasa_replicas,
        log_dir=var_dir / "logs",
        state_file=var_dir / "run" / "stack.json",
    )
    config.check_topology()
    prepare = cmd_migrate if settings.is_production else cmd_demo_data
    if prepare(args) or cmd_train(argparse.Namespace(force=False)):
        return 1
    config.model = model_path()
    configure(settings.log_level)  # the supervisor's restart lines: JSON on stderr
    stack = Stack(config)
    stack.stop_on_signals()
    print("starting the action server, Rasa and the gateway...", flush=True)
    try:
        stack.start()
    except BaseException:  # Ctrl-C or SIGTERM while starting: stop what did start
        stack.stop()
        raise
    gateways = "\n".join(f"  gateway (public):  {url}" for url in config.gateway_urls)
    rasa = "\n".join(f"  Rasa (internal):   {url}" for url in config.rasa_urls)
    print(
        f"\nThe front desk is running.\n"
        f"  website demo:      http://localhost:{settings.port}/  (chat widget, bottom right)\n"
        f"  rep console:       http://localhost:{settings.port}/console\n"
        f"{gateways}\n"
        f"  health:            {config.gateway_url}/healthz\n"
        f"  web chat API:      {config.gateway_url}/api/chat/sessions\n"
        f"{rasa}\n"
        f"  actions (internal):{config.action_url}\n"
        f"Try it in another terminal:  .venv/bin/assistant chat --demo\n"
        f'                         or  .venv/bin/assistant say --from +15555550123 "can i move my appt"\n'
        f"A process that exits is restarted (see {config.log_dir / 'supervisor.log'}).\n"
        f"Logs: {config.log_dir}   Stop with Ctrl-C.",
        flush=True,
    )
    stack.wait()
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from assistant.cli_chat import chat

    return chat(args.url or f"http://127.0.0.1:{get_settings().port}", args)


def cmd_say(args: argparse.Namespace) -> int:
    from assistant.sms_cli import say

    return say(get_settings(), args.from_number, args.text)


def cmd_call(args: argparse.Namespace) -> int:
    from assistant.call_cli import call

    return call(
        get_settings(),
        args.from_number,
        script=args.utterance,
        to_number=args.to,
        dial=args.dial,
        hang_up_after=args.hang_up_after,
    )


def cmd_outbox(args: argparse.Namespace) -> int:
    from assistant.sms_cli import outbox

    return outbox(get_settings(), args.limit)


def cmd_outreach(args: argparse.Namespace) -> int:
    from assistant.cli_outreach import plan, run

    if args.outreach_command == "plan":
        return plan(get_settings(), args.days)
    return run(get_settings(), args.now)


def cmd_insights(args: argparse.Namespace) -> int:
    from assistant.cli_insights import roll_up_now, weekly

    if args.insights_command == "roll-up":
        return roll_up_now(get_settings())
    return weekly(get_settings(), args.practice)


def cmd_doctor(_args: argparse.Namespace) -> int:
    from assistant.doctor import run_checks

    return run_checks(get_settings())


def cmd_prune_trackers(_args: argparse.Namespace) -> int:
    import datetime as dt

    from sqlalchemy.orm import sessionmaker

    from assistant.services.tracker_retention import prune_tracker_events
    from assistant.store.engine import get_engine

    settings = get_settings()
    factory = sessionmaker(bind=get_engine(settings.database_url), expire_on_commit=False)
    deleted = prune_tracker_events(factory, default_retention=dt.timedelta(days=settings.tracker_retention_days))
    print(f"deleted {deleted} dialogue events older than their practice's retention setting")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    def add(name: str, handler: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text)
        sub.set_defaults(handler=handler)
        return sub

    add("migrate", cmd_migrate, "apply database migrations")
    demo_data = add("demo-data", cmd_demo_data, "load the Lakeside Counseling demo practice (idempotent)")
    demo_data.add_argument(
        "--history", type=int, metavar="DAYS", help="also add DAYS days of past activity for the insights page (once)"
    )
    demo_data.add_argument("--seed", type=int, help="the history's random seed (default 13)")
    add("train", cmd_train, "train the dialogue model if its inputs changed").add_argument(
        "--force", action="store_true", help="train even if an up-to-date model exists"
    )
    run = add("run", cmd_run, "migrate, load demo data, train if needed, start and supervise everything")
    run.add_argument("--gateways", type=int, default=1, help="gateway processes (more than 1: PostgreSQL + Redis)")
    run.add_argument("--rasa-replicas", type=int, default=1, help="Rasa servers (more than 1: PostgreSQL + Redis)")
    run.add_argument("--var-dir", default=str(PROJECT_ROOT / "var"), help="where logs/ and run/stack.json go")
    chat = add("chat", cmd_chat, "chat with the running gateway from the terminal")
    chat.add_argument("--demo", action="store_true", help="verified as demo client Jordan Lee")
    chat.add_argument("--name", help="full name to verify as")
    chat.add_argument("--dob", help="date of birth, YYYY-MM-DD")
    chat.add_argument("--url", help="gateway URL (default http://127.0.0.1:$PORT)")
    chat.add_argument("-m", "--message", action="append", help="send this message (repeatable) and exit")
    say = add("say", cmd_say, "text the practice as Twilio would (signed webhook) and print the reply")
    say.add_argument("--from", dest="from_number", required=True, help="the texter's number, E.164")
    say.add_argument("text", help="what the client texts")
    call = add("call", cmd_call, "call the practice as Twilio would (signed voice webhooks) and play the call")
    call.add_argument("--from", dest="from_number", required=True, help="the caller's number, E.164")
    call.add_argument("--to", help="the number called (default: the practice's)")
    call.add_argument(
        "-u", "--utterance", action="append", help="what the caller says next (repeatable; then they hang up)"
    )
    call.add_argument(
        "--dial", choices=["answered", "no-answer", "busy"], default="no-answer", help="how a transfer goes"
    )
    call.add_argument("--hang-up-after", type=int, metavar="N", help="hang up after N answers (0: before the greeting)")
    add("outbox", cmd_outbox, "recent outbound texts and their delivery state").add_argument(
        "--limit", type=int, default=20
    )
    outreach = add("outreach", cmd_outreach, "reminders and follow-ups: what would be sent, or one pass now")
    outreach_commands = outreach.add_subparsers(dest="outreach_command", required=True)
    outreach_commands.add_parser("plan", help="what would be sent in the next days, and why").add_argument(
        "--days", type=int, default=7
    )
    outreach_commands.add_parser("run", help="run the rules once at a given moment").add_argument(
        "--now", required=True, help="ISO 8601, e.g. 2026-12-03T09:00-05:00 (no offset: the practice's zone)"
    )
    insights = add("insights", cmd_insights, "the practice owner's numbers from a terminal")
    insights_commands = insights.add_subparsers(dest="insights_command", required=True)
    insights_commands.add_parser(
        "weekly", help="last week's five headline numbers and their change, as text and HTML"
    ).add_argument("--practice", default="lakeside", help="the practice's slug (default: lakeside)")
    insights_commands.add_parser(
        "roll-up", help="count the settled days now (the gateway does it at start-up and hourly)"
    )
    add("doctor", cmd_doctor, "check environments, model, ports and database; say what to fix")
    add("prune-trackers", cmd_prune_trackers, "delete Rasa's dialogue events older than each practice's retention")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler  # set by build_parser's `add`
    try:
        return handler(args)
    except ConfigError as error:
        return _fail(str(error))
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a clear message, not a traceback, for known failures
        from assistant.stack import StackError
        from assistant.training import TrainingError

        if isinstance(error, (StackError, TrainingError)):
            return _fail(str(error))
        raise


if __name__ == "__main__":
    sys.exit(main())
