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

from typing import Annotated

from fastapi import APIRouter, Form, status
from fastapi.responses import HTMLResponse

from assistant.api import pages
from assistant.api.deps import RequestIdDep, SessionDep
from assistant.services.billing import save_card
from assistant.services.card_details import CardRejected
from assistant.services.links import LinkInvalid, find_valid_link, sign_in_with_link
from assistant.store.models import LinkPurpose
from assistant.wording.catalog import text

router = APIRouter(tags=["links"])

PAGE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow"}


def page(title: str, template: str = "", status_code: int = 200, **context: object) -> HTMLResponse:
    """A link page (links/*.html); with no template, the bare frame (its one inline style,
    which the security headers allow by hash)."""
    document = pages.render(template or "links/page.html", title=title, **context)
    return HTMLResponse(document, status_code=status_code, headers=PAGE_HEADERS)


def _expired() -> HTMLResponse:
    return page(text("page.expired.title"), "links/expired.html", status.HTTP_410_GONE)


def _card_form(error: str = "", status_code: int = 200) -> HTMLResponse:
    return page(text("page.card.title"), "links/card_form.html", status_code, error=error)


# GET and HEAD answer alike (HEAD without the body), and neither uses the link up: link
# previews and mail scanners fetch it before the client taps.
@router.get("/portal/sign-in/{token}", response_class=HTMLResponse)
@router.head("/portal/sign-in/{token}", response_class=HTMLResponse, include_in_schema=False)
def portal_continue(token: str, session: SessionDep) -> HTMLResponse:
    try:
        find_valid_link(session, token, LinkPurpose.PORTAL_SIGN_IN)
    except LinkInvalid:
        return _expired()
    return page(text("page.portal.title"), "links/portal_continue.html")


@router.post("/portal/sign-in/{token}", response_class=HTMLResponse)
def portal_sign_in(token: str, session: SessionDep, request_id: RequestIdDep) -> HTMLResponse:
    try:
        sign_in_with_link(session, token, request_id=request_id)
    except LinkInvalid:
        return _expired()
    return page(text("page.portal.signed_in_title"), "links/portal_signed_in.html")


@router.get("/billing/update/{token}", response_class=HTMLResponse)
@router.head("/billing/update/{token}", response_class=HTMLResponse, include_in_schema=False)
def billing_form(token: str, session: SessionDep) -> HTMLResponse:
    try:
        find_valid_link(session, token, LinkPurpose.BILLING_UPDATE)
    except LinkInvalid:
        return _expired()
    return _card_form()


@router.post("/billing/update/{token}", response_class=HTMLResponse)
def billing_save(
    token: str,
    session: SessionDep,
    request_id: RequestIdDep,
    number: Annotated[str, Form(max_length=40)] = "",
    expiry: Annotated[str, Form(max_length=10)] = "",
) -> HTMLResponse:
    try:
        card = save_card(session, token, number, expiry, request_id=request_id)
    except LinkInvalid:  # expired, used, or another submission of the same link won
        return _expired()
    except CardRejected as rejected:  # the link stays usable: they can correct it
        return _card_form(rejected.message, 422)
    return page(text("page.card.saved_title"), "links/card_saved.html", brand=card.brand, last4=card.last4)
