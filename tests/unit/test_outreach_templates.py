"""Outreach templates and settings: what may be texted, how it renders, and the stored rules."""

from __future__ import annotations

import logging

import pytest
from pydantic import ValidationError

from assistant.outreach import templates
from assistant.outreach.settings import OutreachSettings, default_template, settings_for
from assistant.store.models import OutreachKind, Practice

CLINICIANS = ["Dr. Maya Patel", "Sam Hope, LCSW"]
GOOD = "{practice_name}: see you {session_time} ({modality}), {client_first_name}. Reply STOP to opt out."


def problems(template: str, *, clinical_allowed: bool = False) -> list[str]:
    return templates.problems(template, clinician_names=CLINICIANS, clinical_allowed=clinical_allowed)


def test_a_plain_template_with_every_variable_is_fine() -> None:
    assert problems(GOOD) == []


@pytest.mark.parametrize("kind", list(OutreachKind))
def test_every_default_template_is_fine_and_one_segment_with_ordinary_values(kind: OutreachKind) -> None:
    template = default_template(kind)
    assert problems(template) == []
    rendered = templates.render(template, **templates.SAMPLE_VALUES)
    assert templates.segments(rendered) == 1
    assert "Lakeside Counseling" in rendered and rendered.endswith("Reply STOP to opt out.")


def test_render_fills_each_variable() -> None:
    assert templates.render(
        "{practice_name}: hi {client_first_name}", practice_name="Lakeside", client_first_name="Jo"
    ) == ("Lakeside: hi Jo")


@pytest.mark.parametrize(
    "template", ["{practice_name.__class__}", "{practice_name[0]}", "{practice_name!r}", "{practice_name:>300}", "{x}"]
)
def test_render_fills_plain_names_only(template: str) -> None:
    with pytest.raises(templates.TemplateError):
        templates.render(template, **templates.SAMPLE_VALUES)


def test_render_refuses_a_missing_value_or_a_stray_brace() -> None:
    with pytest.raises(templates.TemplateError, match="session_time"):
        templates.render("{session_time}", practice_name="Lakeside")
    with pytest.raises(templates.TemplateError):
        templates.render("{practice_name", practice_name="Lakeside")


def test_an_unknown_variable_is_refused_by_name() -> None:
    found = problems("{practice_name}: hi {first_name}. Reply STOP to opt out.")
    assert len(found) == 1 and "{first_name}" in found[0] and "{client_first_name}" in found[0]


@pytest.mark.parametrize(
    "template", ["{practice_name: hi. Reply STOP to opt out.", "}{practice_name}. Reply STOP to opt out."]
)
def test_a_stray_brace_is_refused(template: str) -> None:
    assert any("{ or }" in problem for problem in problems(template))


def test_a_conversion_or_format_spec_is_refused() -> None:
    assert any("without anything after" in p for p in problems("{practice_name!r}. Reply STOP to opt out."))


def test_the_opt_out_line_is_required() -> None:
    found = problems("{practice_name}: see you {session_time}.")
    assert found == ['End with "Reply STOP to opt out." so the client can always stop these texts.']
    assert problems("{practice_name}: see you.  reply stop  to\nopt out") == []


def test_the_practice_name_is_required() -> None:
    assert problems("See you {session_time}. Reply STOP to opt out.") == [
        "Include {practice_name}, so every text says who it is from."
    ]


def test_an_empty_template_is_refused() -> None:
    assert problems("   ") == ["The text is empty."]


def test_a_template_over_three_segments_with_long_names_is_refused() -> None:
    # Fits in 3 segments with short values, not with the long samples.
    filler = "x" * (153 * 3 - 90)
    template = f"{{practice_name}} {{client_first_name}} {filler}. Reply STOP to opt out."
    assert templates.segments(templates.render(template, **templates.SAMPLE_VALUES)) <= 3
    found = problems(template)
    assert len(found) == 1 and "4 SMS segments" in found[0]


def test_non_gsm_characters_are_counted_as_ucs2_and_named() -> None:
    template = "{practice_name}: we’ll see you soon — " + "a" * 150 + ". Reply STOP to opt out."
    found = problems(template)
    assert len(found) == 1 and "curly quotes" in found[0]


@pytest.mark.parametrize("name", ["Dr. Maya Patel", "maya patel", "Dr. Patel", "Patel", "Sam Hope", "Hope"])
def test_a_clinician_name_is_refused_when_clinical_details_are_off(name: str) -> None:
    template = f"{{practice_name}}: your session with {name}. Reply STOP to opt out."
    assert any("clinician's name" in problem for problem in problems(template))
    assert problems(template, clinical_allowed=True) == []


def test_an_ordinary_word_that_is_also_a_surname_is_not_a_name() -> None:
    assert problems("{practice_name}: we hope to see you. Reply STOP to opt out.") == []


def test_clinical_words_are_refused_unless_allowed() -> None:
    template = "{practice_name}: your therapy session {session_time}. Reply STOP to opt out."
    assert problems(template) == ['Remove "therapy": this practice does not allow clinical details in texts.']
    assert problems(template, clinical_allowed=True) == []


@pytest.mark.parametrize("word", ["balance", "payment", "past due", "Collections", "discount", "promo"])
def test_billing_collections_and_marketing_words_are_refused_always(word: str) -> None:
    template = f"{{practice_name}}: about your {word}. Reply STOP to opt out."
    found = problems(template, clinical_allowed=True)
    assert len(found) == 1 and word in found[0] and "billing" in found[0]


@pytest.mark.parametrize("link", ["https://lakeside.example/book", "www.lakeside.example", "lakeside.com"])
def test_links_are_refused(link: str) -> None:
    assert any("link" in p for p in problems(f"{{practice_name}}: book at {link}. Reply STOP to opt out."))


def test_segments_counts_gsm_and_ucs2() -> None:
    assert templates.segments("a" * 160) == 1
    assert templates.segments("a" * 161) == 2
    assert templates.segments("’" + "a" * 69) == 1
    assert templates.segments("’" + "a" * 70) == 2


def test_the_video_link_hint_goes_before_the_opt_out_line_only_when_it_fits() -> None:
    short = "Lakeside: video session Thu. Reply STOP to opt out."
    assert templates.with_video_link_hint(short, "Reply LINK for your video link.") == (
        "Lakeside: video session Thu. Reply LINK for your video link. Reply STOP to opt out."
    )
    full = "Lakeside: " + "a" * 120 + ". Reply STOP to opt out."
    assert templates.with_video_link_hint(full, "Reply LINK for your video link.") == full
    assert templates.with_video_link_hint(full, "Reply LINK.", max_segments=2).endswith(
        "Reply LINK. Reply STOP to opt out."
    )


# --- settings -----------------------------------------------------------------------------


def test_defaults_and_catalog_templates() -> None:
    settings = OutreachSettings()
    assert settings.reminder_hours == [48, 24] and settings.dropped_off_after_days == 30
    assert settings.dropped_off_auto_checkin is False
    assert settings.template_for(OutreachKind.REMINDER) == default_template("reminder")
    assert "{practice_name}" in settings.template_for("no_show")
    assert set(settings.all_templates()) == {kind.value for kind in OutreachKind}


def test_a_custom_template_replaces_the_default_and_only_custom_ones_are_stored() -> None:
    settings = OutreachSettings(templates={"no_show": GOOD, "reminder": default_template("reminder")})
    assert settings.template_for("no_show") == GOOD
    assert settings.to_stored()["templates"] == {"no_show": GOOD}
    assert OutreachSettings.model_validate(settings.to_stored()) == OutreachSettings(templates={"no_show": GOOD})


@pytest.mark.parametrize("hours", [[], [48, 24, 2], [0], [169], [24, 24]])
def test_reminder_hours_are_one_or_two_distinct_values_within_a_week(hours: list[int]) -> None:
    with pytest.raises(ValidationError):
        OutreachSettings(reminder_hours=hours)


def test_reminder_hours_are_kept_earliest_first() -> None:
    assert OutreachSettings(reminder_hours=[2, 72]).reminder_hours == [72, 2]


@pytest.mark.parametrize(
    "changes",
    [
        {"templates": {"birthday": "x"}},
        {"templates": {"reminder": ""}},
        {"no_show_after_minutes": 0},
        {"dropped_off_after_days": 1},
        {"cancelled_after_days": 0},
        {"unknown_rule": True},
    ],
)
def test_bad_values_are_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        OutreachSettings.model_validate(changes)


def test_settings_for_reads_the_practice_and_falls_back_on_bad_json(caplog: pytest.LogCaptureFixture) -> None:
    practice = Practice(id=7, slug="p", name="P", timezone="America/New_York")
    assert settings_for(practice) == OutreachSettings()
    practice.outreach_settings = {"reminder_hours": [72], "no_show_enabled": False}
    assert settings_for(practice).reminder_hours == [72] and not settings_for(practice).no_show_enabled
    practice.outreach_settings = {"reminder_hours": "soon", "templates": {"no_show": "secret words"}}
    with caplog.at_level(logging.WARNING):
        assert settings_for(practice) == OutreachSettings()
    assert "outreach_settings_invalid" in caplog.text and "secret words" not in caplog.text
