"""Two requests in one message: do the first, then go on with the second.

The splitter (assistant/scheduling/parsing/requests.py, whose docstring has the design)
says which requests a message holds and in which order.  Each task's starter (a function
taking the turn and the words to read) asks `plan_request` first:

- the message's first request is another task: that task's starter runs first (the model
  may have picked either intent), and it queues the rest;
- it is this task: it reads only its own words ("book me next week" -> next week) and
  keeps the rest in the `queued_request` slot.

When the first task is done or declined, `continue_queued` says "Now, ..." and runs the
queued task's starter in the same turn.  Starters are called directly, not through
`FollowupAction`: the rule policy has no rule for "a task's action after another task's
action" and would predict its fallback after it.  The starters register here
(`register_starter`) because the modules defining them import this one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rasa_sdk.events import EventType, SlotSet

from actions.base import FrontDeskAction, Turn
from actions.tracker_values import text_before_slot_set
from assistant.scheduling.parsing import split_requests, task_of
from assistant.scheduling.parsing.requests import BOOK, CANCEL, RESCHEDULE, VIDEO_LINK
from assistant.wording.catalog import text

Starter = Callable[[Turn, str], list[EventType]]
_STARTERS: dict[str, Starter] = {}
_TASK_OF_ACTION = {
    "action_offer_reschedule": RESCHEDULE,
    "action_start_cancel": CANCEL,
    "action_offer_booking": BOOK,
    "action_telehealth_link": VIDEO_LINK,
}


def register_starter(task: str, starter: Starter) -> None:
    _STARTERS[task] = starter


def start(task: str, turn: Turn, said: str) -> list[EventType]:
    return _STARTERS[task](turn, said)


@dataclass(frozen=True)
class RequestPlan:
    """What a starter of `task` should read, and what to add to its events."""

    text: str
    events: list[EventType] = field(default_factory=list)  # to return after the starter's own
    first_task: str | None = None  # another task comes first: run its starter instead
    queued: str | None = None  # the requests still to do after this one


def plan_request(task: str, said: str) -> RequestPlan:
    requests = split_requests(said)
    if not requests:
        return RequestPlan(said)
    first, rest = requests[0], requests[1:]
    if first.task != task:
        return RequestPlan(said, first_task=first.task)
    queued = " and ".join(request.text for request in rest)
    return RequestPlan(first.text, [SlotSet("queued_request", queued)], queued=queued)


def continue_queued(turn: Turn, events: list[EventType], queued: str | None = None) -> list[EventType]:
    """After the first request is done or declined: go on with the queued one, if any.

    `queued` is for a task finished in the same turn it was planned (its slot is not in
    the tracker yet); otherwise the `queued_request` slot is read."""
    waiting = queued if queued is not None else turn.slot_text("queued_request")
    task = _first_task(waiting) if waiting else None
    if not waiting or task is None or task not in _STARTERS:
        return events
    turn.say(text(f"context.now_next.{task}"))
    return [*events, SlotSet("queued_request", None), *start(task, turn, waiting)]


def has_queued(turn: Turn) -> bool:
    return bool(turn.slot_text("queued_request"))


def _first_task(words: str) -> str | None:
    requests = split_requests(words)
    return requests[0].task if requests else task_of(words)


def resume_after_check(turn: Turn, action_name: str) -> list[EventType]:
    """The task the identity check interrupted, run now in the same turn (not through
    `FollowupAction`, for the reason above), reading the words that asked for it rather
    than the date of birth just typed."""
    said = text_before_slot_set(turn.tracker, "resume_action") or ""
    task = _TASK_OF_ACTION.get(action_name)
    if task in _STARTERS:
        return start(task, turn, said)
    action = _front_desk_action(action_name)
    return action.act(turn) if action is not None else []


def _front_desk_action(name: str) -> FrontDeskAction | None:
    pending: list[type[FrontDeskAction]] = list(FrontDeskAction.__subclasses__())
    while pending:
        kind = pending.pop()
        if getattr(kind, "action_name", None) == name:
            return kind()
        pending.extend(kind.__subclasses__())
    return None
