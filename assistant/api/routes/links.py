"""The pages behind the expiring links the bot sends: portal sign-in and card update.

The card page is the demo stand-in for a payment provider's hosted page: it
reads the number only to derive brand and last 4, stores just those and the
expiry, and never logs or keeps the number itself.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Annotated

from fastapi import APIRouter, Form, status
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from assistant.api.deps import RequestIdDep, SessionDep
from assistant.screen.redaction import luhn_valid
from assistant.services import audit
from assistant.services.links import LinkInvalid, find_valid_link, redeem_link
from assistant.store.models import BillingProfile, LinkPurpose, utcnow

router = APIRouter(tags=["links"])

_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1b2430}}
label{{display:block;margin:.8rem 0 .2rem}}input{{font-size:1rem;padding:.5rem;width:100%;box-sizing:border-box}}
button{{margin-top:1rem;font-size:1rem;padding:.6rem 1.2rem;background:#14532d;color:#fff;border:0;border-radius:.4rem}}
.error{{color:#991b1b}}</style></head><body><h1>{title}</h1>{body}</body></html>"""


def page(title: str, body: str, status_code: int = 200) -> HTMLResponse:
    return HTMLResponse(_PAGE.format(title=html.escape(title), body=body), status_code=status_code,
                        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


def _expired() -> HTMLResponse:
    return page("Link expired", "<p>This link has expired or was already used. "
                "Message us and we'll send you a fresh one.</p>", status.HTTP_410_GONE)


def card_brand(number: str) -> str:
    if number.startswith("4"):
        return "Visa"
    if re.match(r"5[1-5]|2[2-7]", number):
        return "Mastercard"
    if re.match(r"3[47]", number):
        return "American Express"
    if re.match(r"6(011|5)", number):
        return "Discover"
    return "Card"


@router.get("/portal/sign-in/{token}", response_class=HTMLResponse)
def portal_sign_in(token: str, session: SessionDep, request_id: RequestIdDep) -> HTMLResponse:
    try:
        link = redeem_link(session, token, LinkPurpose.PORTAL_SIGN_IN)
    except LinkInvalid:
        return _expired()
    audit.record(session, actor=f"client:{link.client_id}", action="portal_link_used",
                 subject_type="client", subject_id=str(link.client_id), request_id=request_id)
    return page("You're signed in", "<p>You're signed in to the client portal. "
                "You can now reset your password from your profile page.</p>")


_CARD_FORM = """<p>Enter your new card. We keep only the card type, last four digits and expiry.</p>
{error}<form method="post" autocomplete="on">
<label for="number">Card number</label><input id="number" name="number" inputmode="numeric" autocomplete="cc-number" required>
<label for="expiry">Expiry (MM/YY)</label><input id="expiry" name="expiry" autocomplete="cc-exp" placeholder="08/28" required>
<button type="submit">Save card</button></form>"""


@router.get("/billing/update/{token}", response_class=HTMLResponse)
def billing_form(token: str, session: SessionDep) -> HTMLResponse:
    try:
        find_valid_link(session, token, LinkPurpose.BILLING_UPDATE)
    except LinkInvalid:
        return _expired()
    return page("Update your card", _CARD_FORM.format(error=""))


def _parse_expiry(expiry: str, today: dt.date) -> tuple[int, int] | None:
    match = re.fullmatch(r"\s*(\d{1,2})\s*/\s*(\d{2}|\d{4})\s*", expiry)
    if not match:
        return None
    month, year = int(match.group(1)), int(match.group(2))
    year = year + 2000 if year < 100 else year
    if not 1 <= month <= 12 or (year, month) < (today.year, today.month):
        return None
    return month, year


@router.post("/billing/update/{token}", response_class=HTMLResponse)
def billing_save(token: str, number: Annotated[str, Form(max_length=40)],
                 expiry: Annotated[str, Form(max_length=10)], session: SessionDep,
                 request_id: RequestIdDep) -> HTMLResponse:
    try:
        find_valid_link(session, token, LinkPurpose.BILLING_UPDATE)
    except LinkInvalid:
        return _expired()
    digits = re.sub(r"[\s-]", "", number)
    parsed_expiry = _parse_expiry(expiry, utcnow().date())
    if not (digits.isdigit() and 13 <= len(digits) <= 19 and luhn_valid(digits)) or not parsed_expiry:
        error = '<p class="error" role="alert">Please check the card number and expiry.</p>'
        return page("Update your card", _CARD_FORM.format(error=error), status.HTTP_422_UNPROCESSABLE_ENTITY)
    link = redeem_link(session, token, LinkPurpose.BILLING_UPDATE)
    profile = session.scalars(
        select(BillingProfile).where(BillingProfile.client_id == link.client_id)).one_or_none()
    if profile is None:
        profile = BillingProfile(client_id=link.client_id)
        session.add(profile)
    profile.card_brand, profile.card_last4 = card_brand(digits), digits[-4:]
    profile.exp_month, profile.exp_year = parsed_expiry
    profile.updated_at = utcnow()
    audit.record(session, actor=f"client:{link.client_id}", action="card_updated",
                 subject_type="client", subject_id=str(link.client_id), request_id=request_id)
    return page("Card saved", f"<p>Thanks! Your {html.escape(profile.card_brand)} ending in "
                f"{html.escape(profile.card_last4)} is now on file.</p>")
