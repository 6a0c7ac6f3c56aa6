"""HTML pages: one Jinja2 environment over assistant/api/templates/, autoescape on.

Every value put into a page is escaped unless a template says otherwise, so text from
clients, reps or the store cannot become markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

TEMPLATES = Path(__file__).resolve().parent / "templates"

environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=StrictUndefined,  # a missing value is a bug, not an empty string on a page
    keep_trailing_newline=False,
    auto_reload=False,
)


def render(template: str, **context: Any) -> str:
    return environment.get_template(template).render(**context)
