"""Every reason an appointment operation is refused."""

from __future__ import annotations


class AppointmentError(Exception):
    """Base for every reason an appointment operation is refused."""


class SlotUnavailable(AppointmentError):
    """The time is not (or no longer) open for this clinician."""


class AlreadyAtThatTime(AppointmentError):
    """A move to the time the session already has: nothing to do (and not "taken")."""


class AppointmentNotFound(AppointmentError):
    pass


class NotChangeable(AppointmentError):
    """The session is no longer booked, or has already started."""
