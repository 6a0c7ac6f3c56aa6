"""Web chat's transport specifics for the conversation pipeline: none beyond the
defaults.  The widget reads the replies in the response to its message (and from the
transcript), buttons are shown as buttons, and who is chatting is learned by the
verification routes, not from an address."""

from __future__ import annotations

from assistant.conversation.turn import ChannelAdapter


class WebChatAdapter(ChannelAdapter):
    """The defaults: no transport rules, nothing to learn from an address."""
