"""What `make bench` prints after the stacks ran: the side-by-side table of every path at
1, 8 and 16 clients, the throughput ratios, the targets beside this run's figures, the phone
calls' detail and the resident memory of each process."""

from __future__ import annotations

from bench import texting
from bench.report import print_table
from bench.side_by_side import Measured, Target, table, throughput_ratio
from bench.sms_turns import SMS_ACK, SMS_TURN
from bench.stack_runs import LEVELS, StackFigures

ACK_ALONE = f"{SMS_ACK} alone"
TOP = max(LEVELS)
ORDER = ((texting.RASA, "(a)"), (texting.CHAT, "(b)"), (SMS_TURN, "(c)"), (ACK_ALONE, "(d)"))


def _labelled(figures: StackFigures, prefix_replicas: bool) -> list[Measured]:
    rows = []
    for metric, letter in ORDER:
        if metric in figures.paths:
            path = figures.paths[metric]
            letter = "(e)" if prefix_replicas else letter
            rows.append(Measured(f"{letter} {figures.name} {metric}", path.by_level))
    return rows


def ratios(single: StackFigures, replicas: StackFigures | None) -> dict[str, tuple[Measured, Measured]]:
    found = {"1x1 web chat / Rasa straight": (single.path(texting.CHAT), single.path(texting.RASA))}
    if replicas is not None:
        found["2x2 web chat / 2x2 Rasa straight"] = (replicas.path(texting.CHAT), replicas.path(texting.RASA))
        found["2x2 web chat / 1x1 web chat"] = (replicas.path(texting.CHAT), single.path(texting.CHAT))
        found["2x2 Rasa straight / 1x1 Rasa"] = (replicas.path(texting.RASA), single.path(texting.RASA))
    return found


def _p99_at_top(figures: StackFigures, metric: str) -> float | None:
    found = figures.paths[metric].at(TOP) if metric in figures.paths else None
    return None if found is None else found.p99_ms


def targets(single: StackFigures, replicas: StackFigures | None) -> list[Target]:
    chosen = [
        Target(f"{single.name} SMS ack p99 <= 50 ms at {TOP}", _p99_at_top(single, ACK_ALONE), 50, at_most=True),
        Target(f"{single.name} full SMS turn p99 <= 1000 ms at {TOP}", _p99_at_top(single, SMS_TURN), 1000, True),
        Target(
            f"{single.name} web chat turns/s >= 0.95x Rasa straight at {TOP}",
            throughput_ratio(single.path(texting.CHAT), single.path(texting.RASA), TOP),
            0.95,
            at_most=False,
        ),
    ]
    if replicas is not None:
        chosen += [
            Target(f"2x2 SMS ack p99 <= 50 ms at {TOP}", _p99_at_top(replicas, ACK_ALONE), 50, at_most=True),
            Target(f"2x2 full SMS turn p99 <= 1000 ms at {TOP}", _p99_at_top(replicas, SMS_TURN), 1000, True),
            Target(
                f"2x2 web chat turns/s >= 1.3x one Rasa process (1x1 web chat) at {TOP}",
                throughput_ratio(replicas.path(texting.CHAT), single.path(texting.CHAT), TOP),
                1.3,
                at_most=False,
            ),
        ]
    return chosen


def memory_lines(figures: StackFigures) -> list[str]:
    lines = [f"\nResident memory, {figures.name} stack (each process with its children and grandchildren)"]
    lines.append(f"{'':<14} {'procs':>5} {'RSS MB':>8} {'PSS MB':>8}")
    for name, memory in figures.memory:
        pss = "-" if memory.pss_mb is None else f"{memory.pss_mb:8.1f}"
        lines.append(f"{name:<14} {memory.processes:>5} {memory.rss_mb:8.1f} {pss:>8}")
    return lines


def print_all(single: StackFigures, replicas: StackFigures | str) -> None:
    topology = replicas if isinstance(replicas, StackFigures) else None
    paths = _labelled(single, False) + (_labelled(topology, True) if topology else [])
    title = f"Through the stack, timed at the client ({single.name}: {single.store}"
    title += f"; 2x2: {topology.store})" if topology else ")"
    print(table(title, paths, ratios(single, topology), LEVELS))
    if topology is None:
        print(f"(e) {replicas}")
    print("\nTargets (aimed at, not asserted)")
    for target in targets(single, topology):
        print(target.line())
    if single.voice_rows:
        print_table(f"Phone calls, {single.name} (conc: calls at once)", single.voice_rows)
    for figures in (single, *((topology,) if topology else ())):
        print("\n".join(memory_lines(figures)))
