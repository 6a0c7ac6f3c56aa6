"""Issue 14, point 3 (widget side): a time shown to a client is the practice's, and says its zone,
even when the client's browser is elsewhere; an earlier day's time carries its date."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select, update

from assistant.store.engine import session_scope
from assistant.store.models import Message, Practice
from tests.support.stack import RunningStack
from tests.support.widget import continue_as_guest, open_home, open_widget, send, stored_session

TODAY_LABEL = re.compile(r"^\d{1,2}:\d{2} [AP]M ET$")


def test_times_are_the_practices_and_say_so(stack: RunningStack, browser: Browser) -> None:
    with session_scope(stack.database_url) as session:
        zone = session.scalars(select(Practice.timezone).where(Practice.slug == "lakeside")).one()
    assert zone == "America/New_York"  # the demo practice: "ET"
    context = browser.new_context(locale="en-US", timezone_id="America/Los_Angeles")  # the client is elsewhere
    try:
        page: Page = context.new_page()
        open_home(page, stack.url)
        open_widget(page)
        continue_as_guest(page)
        send(page, "what are your hours")
        mine = page.locator(".fd-from-client time").last
        expect(mine).to_have_text(TODAY_LABEL)
        stamp = dt.datetime.fromisoformat(mine.get_attribute("datetime").replace("Z", "+00:00"))
        eastern = stamp.astimezone(dt.timezone(dt.timedelta(hours=-5)))  # December: EST, UTC-5
        assert mine.inner_text() == eastern.strftime("%-I:%M %p ET")

        # A message from an earlier day shows its date, in the practice's zone.
        session_id = stored_session(page)["id"]
        with session_scope(stack.database_url) as session:
            first = session.scalars(
                select(Message.id).where(Message.conversation_id == session_id).order_by(Message.id)
            ).first()
            session.execute(
                update(Message)
                .where(Message.id == first)
                .values(created_at=dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.UTC))
            )
        page.reload()
        open_widget(page)
        expect(page.locator(f'.fd-msg[data-id="{first}"] time')).to_have_text("Tue Nov 24, 10:00 AM ET")
    finally:
        context.close()
