"""What each audit action means in words, for people reading the audit log.

The one place these labels live: the audit page shows them, the CSV keeps the raw action
next to them, and the filter on the audit page lists them. An action missing here is shown
with its underscores turned into spaces, so a new action is never hidden.
"""

from __future__ import annotations

ACTION_LABELS: dict[str, str] = {
    "appointment_booked": "Booked an appointment",
    "appointment_cancelled": "Cancelled an appointment",
    "appointment_confirmed": "Confirmed an appointment",
    "appointment_no_show_marked": "Marked a no-show",
    "appointment_rescheduled": "Rescheduled an appointment",
    "audit_exported": "Exported the audit log",
    "call_ended": "Call ended",
    "call_started": "Call started",
    "call_transferred": "Call transferred",
    "called_back": "Called back",
    "canned_response_deleted": "Deleted a canned response",
    "canned_response_saved": "Saved a canned response",
    "card_updated": "Card updated",
    "chat_ended": "Chat ended",
    "client_outreach_updated": "Changed a client's outreach",
    "handoff_claimed": "Claimed a conversation",
    "handoff_opened": "Asked for a person",
    "handoff_resolved": "Resolved a conversation",
    "identity_check_failed": "Identity check failed",
    "identity_code_failed": "Wrong verification code",
    "identity_code_locked": "Verification codes locked",
    "identity_code_sent": "Verification code sent",
    "identity_code_withheld": "Verification code withheld",
    "identity_name_dob_failed": "Name and birth date did not match",
    "identity_name_dob_locked": "Name and birth date checks locked",
    "identity_verified": "Identity verified",
    "message_previewed": "Saw a message preview",
    "note_added": "Added a note",
    "oncall_alerted": "Alerted the on-call clinician",
    "outreach_checkin_texted": "Texted a check-in",
    "outreach_reached_out": "Reached out to a client",
    "outreach_settings_updated": "Changed outreach settings",
    "portal_link_used": "Used a portal link",
    "practice_answer_cleared": "Cleared a practice answer",
    "practice_answer_saved": "Saved a practice answer",
    "practice_settings_updated": "Changed practice settings",
    "recording_played": "Played a call recording",
    "rep_created": "Added a rep",
    "rep_replied": "Replied to a client",
    "rep_sign_in_failed": "Sign-in failed",
    "rep_sign_in_locked": "Sign-in locked after failures",
    "rep_sign_in_refused_demo": "Demo sign-in refused",
    "rep_sign_in_unlocked": "Sign-in unlocked",
    "rep_signed_in": "Signed in",
    "rep_signed_out": "Signed out",
    "rep_updated": "Changed a rep",
    "sms_opted_in": "Opted in to texts",
    "sms_opted_out": "Opted out of texts",
    "transcript_viewed": "Opened transcript",
    "video_link_sent": "Sent a video link",
    "voicemail_left": "Left a voicemail",
}


def action_label(action: str) -> str:
    """The words for an action; an unknown one reads as its name with spaces."""
    return ACTION_LABELS.get(action) or action.replace("_", " ").capitalize()
