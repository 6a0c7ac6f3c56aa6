"""`assistant insights weekly --practice lakeside`: last week's five headline numbers and their
change from the week before, printed as plain text and then as an HTML fragment, ready to
paste into an email (sending is left to the practice's mail setup).  Counts and rates only.
`assistant insights roll-up`: one roll-up pass of the settled days (the gateway runs it hourly)."""

from __future__ import annotations

import datetime as dt
import html
import sys

from sqlalchemy import select

from assistant.config import Settings
from assistant.services.insights.rollup_job import roll_up
from assistant.services.insights.weekly import Headline, WeeklySummary, weekly_summary
from assistant.store.engine import session_scope
from assistant.store.models import Practice, utcnow

HTML_SEPARATOR = "-----8<----- HTML -----8<-----"


def _value(value: float | None) -> str:
    return "no data" if value is None else f"{value:.1f}%"


def _change(headline: Headline) -> str:
    change = headline.change
    if change is None:
        return "no comparison"
    if change == 0:
        return "unchanged"
    better = (change < 0) == headline.lower_is_better
    return f"{'up' if change > 0 else 'down'} {abs(change):.1f} points ({'better' if better else 'worse'})"


def as_text(summary: WeeklySummary) -> str:
    week = f"{summary.week_from:%a %d %b} to {summary.week_to:%a %d %b %Y}"
    lines = [f"{summary.practice_name}: the front desk last week ({week})", ""]
    width = max(len(h.label) for h in summary.headlines)
    for headline in summary.headlines:
        lines.append(f"  {headline.label:<{width}}  {_value(headline.value):>8}  {_change(headline)}")
    lines += ["", "Change is from the week before, in percentage points."]
    return "\n".join(lines)


def as_html(summary: WeeklySummary) -> str:
    week = f"{summary.week_from:%a %d %b} to {summary.week_to:%a %d %b %Y}"
    rows = "\n".join(
        f'    <tr><th scope="row">{html.escape(h.label)}</th><td>{_value(h.value)}</td>'
        f"<td>{html.escape(_change(h))}</td></tr>"
        for h in summary.headlines
    )
    title = html.escape(f"{summary.practice_name}: the front desk last week")
    return (
        f"<h1>{title}</h1>\n<p>{html.escape(week)}</p>\n<table>\n"
        f"  <caption>Five headline numbers, with their change from the week before</caption>\n"
        f'  <thead><tr><th scope="col">Measure</th><th scope="col">Last week</th>'
        f'<th scope="col">Change</th></tr></thead>\n  <tbody>\n{rows}\n  </tbody>\n</table>'
    )


def weekly(settings: Settings, practice_slug: str, now: dt.datetime | None = None) -> int:
    with session_scope(settings.database_url) as session:
        practice = session.scalars(select(Practice).where(Practice.slug == practice_slug)).first()
        if practice is None:
            print(f"error: no practice {practice_slug!r}; run `assistant demo-data`", file=sys.stderr)
            return 1
        summary = weekly_summary(session, practice, now or utcnow())
    print(as_text(summary))
    print()
    print(HTML_SEPARATOR)
    print(as_html(summary))
    return 0


def roll_up_now(settings: Settings) -> int:
    """One roll-up pass (services/insights/rollup_job.py), as the gateway runs each hour."""
    days = roll_up(settings.database_url)
    print(f"rolled up {days} settled day(s)")
    return 0
