"""Pieces the response models share."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

# The services format timestamps once (ISO 8601, UTC offset included); the text is passed
# through unchanged so the JSON and the live-update events agree to the character.
Timestamp = Annotated[str, Field(json_schema_extra={"format": "date-time"}, examples=["2026-03-02T15:00:00+00:00"])]


class PublicModel(BaseModel):
    """A response body: what the services returned, nothing added or dropped."""

    model_config = ConfigDict(extra="forbid")


class DeletedPublic(PublicModel):
    deleted: bool


class SignedOutPublic(PublicModel):
    signed_out: bool
