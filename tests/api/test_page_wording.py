"""What a link page says comes from the wording catalog (`page.*`), through `t(...)` in
the templates: no sentence is written into a template, and what is filled in is escaped."""

from __future__ import annotations

import re

import pytest

from assistant.api import pages
from assistant.wording import catalog

LINK_TEMPLATES = sorted(path.name for path in (pages.TEMPLATES / "links").glob("*.html"))
PAGE_KEYS = [key for key in catalog.CATALOGS[catalog.DEFAULT_LANGUAGE] if key.startswith("page.")]


def test_the_link_templates_are_found() -> None:
    assert {"card_form.html", "card_saved.html", "expired.html", "portal_continue.html"} <= set(LINK_TEMPLATES)


@pytest.mark.parametrize("name", LINK_TEMPLATES)
def test_link_templates_write_no_words_of_their_own(name: str) -> None:
    source = (pages.TEMPLATES / "links" / name).read_text()
    without_jinja = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", " ", source, flags=re.DOTALL)
    without_markup = re.sub(r"<style>.*?</style>|<[^>]*>", " ", without_jinja, flags=re.DOTALL)
    assert re.findall(r"[A-Za-z]{2,}", without_markup) == [], 'say it with {{ t("page....") }}'


@pytest.mark.parametrize("key", PAGE_KEYS)
def test_page_entries_hold_no_markup_characters(key: str) -> None:
    # `t(...)` puts an entry into the page as it reads (an apostrophe stays an apostrophe),
    # which is only safe while no entry could be read as markup or end an attribute.
    assert not set(catalog.template(key)) & set('<>&"'), key


def test_values_filled_into_page_text_are_escaped() -> None:
    said = pages.page_text("page.card.saved", brand="<img src=x onerror=alert(1)>", last4='4"2')
    assert said == "Thanks! Your &lt;img src=x onerror=alert(1)&gt; ending in 4&#34;2 is now on file."


def test_a_page_reads_as_the_catalog_says() -> None:
    document = pages.render("links/card_saved.html", title="Card saved", brand="Visa", last4="1111")
    assert '<html lang="en">' in document
    assert f"<p>{catalog.text('page.card.saved', brand='Visa', last4='1111')}</p>" in document
    form = pages.render("links/card_form.html", title="Update your card", error="")
    assert f'placeholder="{catalog.text("page.card.expiry_example")}"' in form
    assert f'<button type="submit">{catalog.text("page.card.save")}</button>' in form
