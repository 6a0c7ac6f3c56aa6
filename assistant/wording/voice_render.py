"""Turning a reply written for a screen into one written for the ear.

The bot and the actions write once, for every channel (the catalog); a phone call cannot
show a link, a button or "Fri Dec 11, 12:00 PM".  This module rewrites our own formats
(wording/formats.py) and the catalog's screen conventions ("Reply ...") into speech, and
says which keypad digit stands for which answer.  Pure: no store, no framework.

Why rewrite rather than a second set of replies: the screen text is the one source of
truth for what the bot meant, and the rules below are about *how* it is said; a test
speaks every catalog entry and checks nothing screen-only survives.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from assistant.wording import formats
from assistant.wording.catalog import text

# "https://...", "www...": never read aloud (the voice channel texts links instead).
LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_LINK_WITH_LEAD = re.compile(r"[ \t]*[:\-][ \t]*(?:https?://|www\.)\S+|[ \t]*(?:https?://|www\.)\S+", re.IGNORECASE)

_DAYS = formats.weekday_names("abbreviated")
_MONTHS = formats.month_names("abbreviated")
# A written time's zone label (formats.zone_label: "ET", "HST", "UTC+5:30"): never read out as letters.
_ZONE = r"(?: (?P<zone>[A-Z]{2,5}(?:[+-]\d{1,2}(?::\d{2})?)?)\b)?"
_DAY_AND_TIME = re.compile(
    rf"\b(?P<day>{'|'.join(_DAYS)}),? (?P<month>{'|'.join(_MONTHS)}) (?P<date>\d{{1,2}}),? "
    r"(?:at )?(?P<hour>\d{1,2}):(?P<minute>\d{2}) (?P<ampm>AM|PM)" + _ZONE
)
_SHORT_DATE = re.compile(rf"\b(?P<day>{'|'.join(_DAYS)}),? (?P<month>{'|'.join(_MONTHS)}) (?P<date>\d{{1,2}})\b")
# "4:30 PM ET today" (moments.written_moment) is said "4:30 PM today, Eastern time".
_CLOCK = re.compile(r"\b(?P<hour>\d{1,2}):(?P<minute>\d{2}) (?P<ampm>AM|PM)" + _ZONE + r"(?P<day_word> today\b)?")
_NUMBERED_LINE = re.compile(r"^\s*(?P<number>[1-9])[.)]\s+(?P<option>.+?)\s*$", re.MULTILINE)

# Screen and SMS conventions, said the way a person on the phone would.
_EAR_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r'\b[Rr]eply "person"'), "Press 0"),
    (re.compile(r'\bsay "talk to a person"'), "press 0"),
    (re.compile(r"\b[Rr]eply with a number\b"), "Say or press a number"),
    (re.compile(r"\b[Rr]eply with its number\b"), "Say or press its number"),
    (re.compile(r'\b[Rr]eply "(?P<word>[^"]+)"'), r'Say "\g<word>"'),
    (re.compile(r"\bin chat\b"), "on the phone"),
    (re.compile(r"\b[Mm]essage us here\b"), "Call or text us"),
    (re.compile(r"\s*\(([^()]*)\)"), r", \1,"),
    (re.compile(r"\s*&\s*"), " and "),
    (re.compile(r"\b24/7\b"), "day and night"),
    (re.compile(r"[*_#>`]+"), ""),
)


@dataclass(frozen=True)
class Spoken:
    """A reply for the ear: what to say, and what each keypad digit answers."""

    text: str
    keypad: dict[str, str] = field(default_factory=dict)  # digit -> what the caller "said"
    had_link: bool = False


def ordinal(number: int) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th', 23 -> '23rd'."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _wide_day(abbreviated: str) -> str:
    return formats.weekday_names("wide")[_DAYS.index(abbreviated)]


def _clock(match: re.Match[str]) -> str:
    hour = int(match["hour"]) % 12 + (12 if match["ampm"] == "PM" else 0)
    return formats.time_of_day(dt.time(hour, int(match["minute"])))


def _day(match: re.Match[str], today: dt.date | None) -> str:
    """ "Friday the 11th", or "today" / "tomorrow" when it is (in the practice's time zone)."""
    if today is not None:
        month, date = _MONTHS.index(match["month"]) + 1, int(match["date"])
        for year in (today.year, today.year + 1):
            try:
                day = dt.date(year, month, date)
            except ValueError:
                continue
            if day == today:
                return text("voice.today")
            if day == today + dt.timedelta(days=1):
                return text("voice.tomorrow")
    return f"{_wide_day(match['day'])} the {ordinal(int(match['date']))}"


@dataclass(frozen=True)
class ZoneWords:
    """The practice's zone as written ("ET") and as said ("Eastern time")."""

    label: str
    said: str


def zone_words(zone: ZoneInfo, now: dt.datetime) -> ZoneWords:
    return ZoneWords(formats.zone_label(zone, now), formats.spoken_zone(zone, now))


def spoken_times(sentence: str, today: dt.date | None = None, zone: ZoneWords | None = None) -> str:
    """ "Fri Dec 11, 12:00 PM" -> "Friday the 11th at noon" ("tomorrow at noon" on the 10th);
    "Thu Dec 3" -> "Thursday the 3rd"; "10:00 AM ET" -> "10 AM".

    A zone label is never read out ("E T"): given the `zone`, its name ("Eastern time") is
    said once, in place of a label in brackets ("hours ... (ET)") or after the first labelled
    time ("Monday the 7th at 10 AM, Eastern time; 2, Tuesday ..."), unless the sentence says
    it already (a spoken promise does)."""
    if zone is not None:
        sentence = sentence.replace(f"({zone.label})", f"({zone.said})", 1).replace(f"({zone.label})", "")
    already_said = zone is None or zone.said.lower() in sentence.lower()

    def zone_once(match: re.Match[str]) -> str:
        nonlocal already_said
        if not match["zone"] or already_said or zone is None:
            return ""
        already_said = True
        return f", {zone.said},"  # a parenthesis: "at 10 AM, Eastern time, by video"

    sentence = _DAY_AND_TIME.sub(lambda m: f"{_day(m, today)} at {_clock(m)}{zone_once(m)}", sentence)
    sentence = _SHORT_DATE.sub(lambda m: _day(m, today), sentence)
    return _CLOCK.sub(lambda m: f"{_clock(m)}{m['day_word'] or ''}{zone_once(m)}", sentence)


def without_links(sentence: str) -> str:
    """The sentence with its links (and the colon that introduced them) taken out."""
    lines = [_LINK_WITH_LEAD.sub("", line).rstrip() for line in sentence.split("\n")]
    ended = [line if not line or line[-1] in ".!?:" else f"{line}." for line in lines]
    return re.sub(r"\s+([.,;!?])", r"\1", "\n".join(ended)).strip()


def _for_the_ear(sentence: str) -> str:
    for pattern, replacement in _EAR_RULES:
        sentence = pattern.sub(replacement, sentence)
    sentence = re.sub(r",\s*([,.;!?])", r"\1", sentence)
    sentence = re.sub(r"\s+([,.;!?])", r"\1", sentence)
    sentence = re.sub(r"\s*\n+\s*", " ", sentence)
    return re.sub(r"\s{2,}", " ", sentence).strip().rstrip(",")  # "at 10 AM, Eastern time," at the very end


def _numbered(sentence: str) -> tuple[str, dict[str, str]]:
    """Numbered option lines become one spoken list; each digit answers with its number."""
    options = [(m["number"], m["option"].rstrip(".")) for m in _NUMBERED_LINE.finditer(sentence)]
    if not options:
        return sentence, {}
    spoken = "; ".join(f"{number}, {option}" for number, option in options)
    first, last = _NUMBERED_LINE.search(sentence), list(_NUMBERED_LINE.finditer(sentence))[-1]
    assert first is not None
    before, after = sentence[: first.start()].strip(), sentence[last.end() :].strip()
    said = " ".join(part for part in (before, f"{spoken}.", after) if part)
    return said, {number: number for number, _ in options}


def spoken_choices(choices: list[str]) -> str:
    """ "A", "A, or B", "A, B, or C": choices as said aloud (`choices` is never empty)."""
    return ", ".join(choices[:-1]) + f", or {choices[-1]}" if len(choices) > 1 else choices[0]


def _options(buttons: list[dict[str, str]]) -> tuple[str, dict[str, str]]:
    payloads = [button.get("payload", "") for button in buttons]
    if set(payloads) == {"/affirm", "/deny"}:
        return text("voice.choices_yes_no"), {"1": "yes", "2": "no"}
    titled = [(str(index), button) for index, button in enumerate(buttons, start=1) if button.get("title")][:9]
    if not titled:
        return "", {}
    choices = [text("voice.option", choice=button["title"], digit=digit) for digit, button in titled]
    return text("voice.choices_buttons", options=spoken_choices(choices)), {
        digit: button.get("payload") or button["title"] for digit, button in titled
    }


def keypad(buttons: list[dict[str, str]]) -> dict[str, str]:
    """What each digit answers for a reply with these buttons (as `speak` said them)."""
    return _options(buttons)[1] if buttons else {}


def speak(
    sentence: str,
    buttons: list[dict[str, str]] | None = None,
    *,
    link_note: str = "",
    today: dt.date | None = None,
    zone: ZoneWords | None = None,
) -> Spoken:
    """`sentence` (+ its buttons) as it should be heard.  A link is left out; `link_note`
    (e.g. "I've texted the link to your mobile.") is said in its place.  `today` (the
    practice's local date) lets "Tue Dec 1" be said as "today"; the practice's `zone` is said
    once, in words, where times are (see spoken_times)."""
    had_link = bool(LINK.search(sentence))
    said = without_links(sentence) if had_link else sentence
    said, keypad = _numbered(said)
    if not keypad and buttons:
        choices, keypad = _options(buttons)
        said = f"{said} {choices}".strip()
    said = _for_the_ear(spoken_times(said, today, zone))
    if had_link and link_note:
        said = f"{said} {link_note}"
    return Spoken(said, keypad, had_link)
