"""The pages behind the expiring links the bot sends: portal sign-in and card update.

Opening a link (GET, or HEAD) never uses it up: SMS apps and mail scanners fetch a
link to preview it before the client taps it.  Only the POST from the page's button
(portal: "Continue"; card: "Save card") redeems it.  Pages carry no token anywhere
(the forms post to their own URL), send no Referer, and are never cached.

The card page is the demo stand-in for a payment provider's hosted page: it
reads the number only to derive brand and last 4, stores just those and the
expiry, and never logs or keeps the number itself.
"""

from __future__ import annotations

import html
from typing import Annotated

from fastapi import APIRouter, Form, status
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from assistant.api.deps import RequestIdDep, SessionDep
from assistant.services import audit
from assistant.services.card_details import CardRejected, read_card
from assistant.services.links import LinkInvalid, find_valid_link, redeem_link
from assistant.store.models import BillingProfile, LinkPurpose, utcnow

router = APIRouter(tags=["links"])

PAGE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
                "X-Robots-Tag": "noindex, nofollow"}
_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow"><title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1b2430}}
label{{display:block;margin:.8rem 0 .2rem}}input{{font-size:1rem;padding:.5rem;width:100%;box-sizing:border-box}}
button{{margin-top:1rem;font-size:1rem;padding:.6rem 1.2rem;background:#14532d;color:#fff;border:0;border-radius:.4rem}}
.error{{color:#991b1b}}</style></head><body><h1>{title}</h1>{body}</body></html>"""

_PORTAL_CONTINUE = """<p>Press Continue to sign in to the client portal. This link works once.</p>
<form method="post"><button type="submit">Continue</button></form>"""
_PORTAL_SIGNED_IN = ("<p>You're signed in to the client portal. "
                     "You can now reset your password from your profile page.</p>")
_EXPIRED = ("<p>This link has expired or was already used. "
            "Message us and we'll send you a fresh one.</p>")
_CARD_FORM = """<p>Enter your new card. We keep only the card type, last four digits and expiry.</p>
{error}<form method="post" autocomplete="on">
<label for="number">Card number</label><input id="number" name="number" inputmode="numeric" autocomplete="cc-number" required>
<label for="expiry">Expiry (MM/YY)</label><input id="expiry" name="expiry" autocomplete="cc-exp" placeholder="08/28" required>
<button type="submit">Save card</button></form>"""


def page(title: str, body: str, status_code: int = 200) -> HTMLResponse:
    """`body` is trusted markup from this module; anything from outside is escaped first."""
    return HTMLResponse(_PAGE.format(title=html.escape(title), body=body), status_code=status_code,
                        headers=PAGE_HEADERS)


def _expired() -> HTMLResponse:
    return page("Link expired", _EXPIRED, status.HTTP_410_GONE)


def _card_form(error: str = "", status_code: int = 200) -> HTMLResponse:
    alert = f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""
    return page("Update your card", _CARD_FORM.format(error=alert), status_code)


# GET and HEAD answer alike (HEAD without the body), and neither uses the link up: link
# previews and mail scanners fetch it before the client taps.
@router.get("/portal/sign-in/{token}", response_class=HTMLResponse)
@router.head("/portal/sign-in/{token}", response_class=HTMLResponse, include_in_schema=False)
def portal_continue(token: str, session: SessionDep) -> HTMLResponse:
    try:
        find_valid_link(session, token, LinkPurpose.PORTAL_SIGN_IN)
    except LinkInvalid:
        return _expired()
    return page("Sign in to the portal", _PORTAL_CONTINUE)


@router.post("/portal/sign-in/{token}", response_class=HTMLResponse)
def portal_sign_in(token: str, session: SessionDep, request_id: RequestIdDep) -> HTMLResponse:
    try:
        link = redeem_link(session, token, LinkPurpose.PORTAL_SIGN_IN)
    except LinkInvalid:
        return _expired()
    audit.record(session, actor=f"client:{link.client_id}", action="portal_link_used",
                 subject_type="client", subject_id=str(link.client_id), request_id=request_id)
    return page("You're signed in", _PORTAL_SIGNED_IN)


@router.get("/billing/update/{token}", response_class=HTMLResponse)
@router.head("/billing/update/{token}", response_class=HTMLResponse, include_in_schema=False)
def billing_form(token: str, session: SessionDep) -> HTMLResponse:
    try:
        find_valid_link(session, token, LinkPurpose.BILLING_UPDATE)
    except LinkInvalid:
        return _expired()
    return _card_form()


@router.post("/billing/update/{token}", response_class=HTMLResponse)
def billing_save(token: str, session: SessionDep, request_id: RequestIdDep,
                 number: Annotated[str, Form(max_length=40)] = "",
                 expiry: Annotated[str, Form(max_length=10)] = "") -> HTMLResponse:
    try:
        find_valid_link(session, token, LinkPurpose.BILLING_UPDATE)
    except LinkInvalid:
        return _expired()
    now = utcnow()
    try:
        card = read_card(number, expiry, now.date())
    except CardRejected as rejected:  # the link stays usable: they can correct it
        return _card_form(rejected.message, 422)
    try:
        link = redeem_link(session, token, LinkPurpose.BILLING_UPDATE, now)
    except LinkInvalid:  # another submission of the same link won
        return _expired()
    profile = session.scalars(
        select(BillingProfile).where(BillingProfile.client_id == link.client_id)).one_or_none()
    if profile is None:
        profile = BillingProfile(client_id=link.client_id)
        session.add(profile)
    profile.card_brand, profile.card_last4 = card.brand, card.last4
    profile.exp_month, profile.exp_year = card.exp_month, card.exp_year
    profile.updated_at = now
    audit.record(session, actor=f"client:{link.client_id}", action="card_updated",
                 subject_type="client", subject_id=str(link.client_id), request_id=request_id)
    return page("Card saved", f"<p>Thanks! Your {html.escape(card.brand)} ending in "
                f"{html.escape(card.last4)} is now on file.</p>")
