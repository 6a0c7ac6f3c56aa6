"""HTML pages: one Jinja2 environment over assistant/api/templates/, autoescape on.

Every value put into a page is escaped unless a template says otherwise, so text from
clients, reps or the store cannot become markup.  What a page says to a client comes from
the wording catalog: `{{ t("page.card.title") }}` (keys under `page.*`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from assistant.wording.catalog import DEFAULT_LANGUAGE, text

TEMPLATES = Path(__file__).resolve().parent / "templates"

environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=StrictUndefined,  # a missing value is a bug, not an empty string on a page
    keep_trailing_newline=False,
    auto_reload=False,
)


def page_text(key: str, /, **values: object) -> Markup:
    """`t(key, **values)` in a template: the catalog entry as it reads (page entries hold no
    markup characters; tests/api/test_page_wording.py checks), every value escaped."""
    return Markup(text(key, **{name: escape(value) for name, value in values.items()}))


environment.globals.update(t=page_text, language=DEFAULT_LANGUAGE)


def render(template: str, **context: Any) -> str:
    return environment.get_template(template).render(**context)
