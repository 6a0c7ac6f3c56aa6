"""What a client said about when they would like to come, and parsing it from text.

`SlotPreference` is what the slot search honours; `parse_preference` turns
"friday afternoon", "next week" or "after 5" into one.

The parser reads a message in passes, each blanking out what it understood so that a later
pass cannot read it again: the appointment the client already has (parse.py), dates
(dates.py), parts of the day and clock times (times.py), then weekdays (weekdays.py).
What was read collects in a `Draft` (draft.py); describe.py words the result for replies.
"""

from assistant.scheduling.preferences.parse import parse_preference
from assistant.scheduling.preferences.preference import SlotPreference

__all__ = ["SlotPreference", "parse_preference"]
