"""One-time secrets (sign-in and card-update links, verification codes) kept out of what reps see.

Masking happens once, when a text is written (`send_to_client`): `Message.text` gets the
rep-safe copy, with each live link replaced by "[one-time sign-in link sent, expires
10:42 AM]", and `Message.client_text` the client's own delivery copy.  Every rep-facing
view, API and export reads `text` only, so a view added later cannot leak a link by
forgetting to mask it; only the client's own delivery (their web chat transcript, the SMS
sender) reads `client_text`.

Links are found by shape: our own `/portal/sign-in/<token>` and `/billing/update/<token>`
(with or without scheme and host: a rep may paste just the path), and a URL with a
`token=` parameter when that token is one of our links or the URL is the practice's own
external card-update page.  The link's purpose and expiry come from its AccessLink row,
looked up by the token's hash.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.services.links import hash_token
from assistant.store.models import AccessLink, LinkPurpose, Practice, utcnow
from assistant.wording import formats

CODE_MASK = "[one-time verification code sent]"
_LINK_NAMES = {LinkPurpose.PORTAL_SIGN_IN: "one-time sign-in link", LinkPurpose.BILLING_UPDATE: "card-update link"}
_PATH_PURPOSES = {"portal/sign-in": LinkPurpose.PORTAL_SIGN_IN, "billing/update": LinkPurpose.BILLING_UPDATE}

_TOKEN = r"[A-Za-z0-9_-]{16,}"  # secrets.token_urlsafe: nothing shorter is one of ours
_OWN_LINK = re.compile(rf"(?:https?://[^\s/<>\"']+)?/(?P<path>portal/sign-in|billing/update)/(?P<token>{_TOKEN})")
_TOKEN_PARAMETER = re.compile(rf"https?://[^\s?#<>\"']+\?(?:[^\s#&<>\"']*&)*token=(?P<token>{_TOKEN})")


@dataclass(frozen=True)
class SplitText:
    """What reps may read, and what only the client gets (None: nothing was masked)."""

    rep_text: str
    client_text: str | None


def _clock(moment: dt.datetime, now: dt.datetime, zone: ZoneInfo) -> str:
    """ "10:42 AM" in practice time, with the day when it is not today there."""
    if moment.astimezone(zone).date() == now.astimezone(zone).date():
        return formats.clock(moment, zone)
    return formats.day_and_time(moment, zone)


def link_mask(
    purpose: LinkPurpose, expires_at: dt.datetime | None, *, timezone: str, now: dt.datetime | None = None
) -> str:
    name = _LINK_NAMES[purpose]
    if expires_at is None:
        return f"[{name} sent]"
    return f"[{name} sent, expires {_clock(expires_at, now or utcnow(), ZoneInfo(timezone))}]"


def _links_by_token(session: Session, tokens: Iterable[str]) -> dict[str, AccessLink]:
    hashes = {hash_token(token): token for token in tokens}
    if not hashes:
        return {}
    rows = session.scalars(select(AccessLink).where(AccessLink.token_hash.in_(hashes)))
    return {hashes[row.token_hash]: row for row in rows}


def mask_links(session: Session, practice: Practice, text: str, now: dt.datetime | None = None) -> str:
    """`text` with every one-time link replaced by a mask saying what it was and when it expires."""
    own = list(_OWN_LINK.finditer(text))
    external = list(_TOKEN_PARAMETER.finditer(text))
    if not own and not external:
        return text
    known = _links_by_token(session, [m.group("token") for m in own + external])
    external_page = (practice.billing_update_url or "").split("?")[0]

    def own_mask(match: re.Match[str]) -> str:
        link = known.get(match.group("token"))
        purpose = link.purpose if link else _PATH_PURPOSES[match.group("path")]
        return link_mask(purpose, link.expires_at if link else None, timezone=practice.timezone, now=now)

    def external_mask(match: re.Match[str]) -> str:
        link = known.get(match.group("token"))
        if link is not None:
            return link_mask(link.purpose, link.expires_at, timezone=practice.timezone, now=now)
        if external_page and match.group(0).startswith(external_page):
            return link_mask(LinkPurpose.BILLING_UPDATE, None, timezone=practice.timezone, now=now)
        return match.group(0)  # someone else's URL that happens to have a token parameter

    return _TOKEN_PARAMETER.sub(external_mask, _OWN_LINK.sub(own_mask, text))


def split_for_reps(
    session: Session, practice: Practice, text: str, *, is_code: bool = False, now: dt.datetime | None = None
) -> SplitText:
    """The rep-safe copy of a text to a client, and the client's copy when they differ.

    A one-time code text (`is_code`) is masked whole: reps never need any part of it.
    """
    masked = CODE_MASK if is_code else mask_links(session, practice, text, now)
    return SplitText(masked, text if masked != text else None)


REMOVED_LINK = "[one-time link removed]"


def mask_link_shapes(value: Any) -> Any:
    """A JSON-like value (audit details, ticket context) with anything shaped like a one-time
    link removed from every string.

    Defence in depth for data no rep-facing text was written through: nothing puts a link
    there today.  No store lookup, so any `token=` URL counts and no expiry is shown.
    """
    if isinstance(value, str):
        return _TOKEN_PARAMETER.sub(REMOVED_LINK, _OWN_LINK.sub(REMOVED_LINK, value))
    if isinstance(value, dict):
        return {key: mask_link_shapes(item) for key, item in value.items()}
    if isinstance(value, list):
        return [mask_link_shapes(item) for item in value]
    return value
