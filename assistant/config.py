"""One place for configuration, read from the environment (and `.env`)."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Lets `assistant say` sign webhooks exactly as Twilio would in demo mode; never used in production.
DEMO_TWILIO_AUTH_TOKEN = "demo-twilio-auth-token"
# The account `assistant say` names without a real one; the only one whose delivery reports
# are accepted when no TWILIO_ACCOUNT_SID is configured (assistant/api/routes/sms.py).
DEMO_TWILIO_ACCOUNT_SID = "AC" + "0" * 32


class ConfigError(RuntimeError):
    """Raised with a human-readable message when configuration is unusable."""


def parse_trusted_proxies(value: str) -> list[str]:
    """FORWARDED_ALLOW_IPS: comma-separated addresses or networks, normalized; ConfigError if bad.

    "*" (and /0 networks) are refused on purpose: trusting every peer's X-Forwarded-For lets
    anyone choose the address that sign-in and rate limits count against.
    """
    proxies: list[str] = []
    for entry in (part.strip() for part in value.split(",")):
        if not entry:
            continue
        if entry == "*":
            raise ConfigError(
                "FORWARDED_ALLOW_IPS must list your proxies' addresses (e.g. "
                "10.0.0.5 or 10.0.0.0/24), not '*': trusting every peer's "
                "X-Forwarded-For lets any client pick its own address."
            )
        try:
            network = ipaddress.ip_network(entry, strict=True) if "/" in entry else None
            proxies.append(str(network) if network else str(ipaddress.ip_address(entry)))
        except ValueError as error:
            raise ConfigError(
                f"FORWARDED_ALLOW_IPS: {entry!r} is not an IP address or network "
                f"({error}); list trusted proxies like 10.0.0.5,10.0.1.0/24."
            ) from error
        if network is not None and network.prefixlen == 0:
            raise ConfigError(
                f"FORWARDED_ALLOW_IPS: {entry!r} trusts every address; list only your proxies' addresses or networks."
            )
    return proxies


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    assistant_env: Literal["demo", "test", "production"] = "demo"
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'assistant.db'}"
    port: int = 8000
    host: str = "127.0.0.1"
    public_base_url: str = ""
    rasa_url: str = "http://127.0.0.1:5005"
    # Several Rasa replicas, comma-separated (each conversation sticks to one: dialogue/replicas.py);
    # empty: RASA_URL alone.
    rasa_urls: str = ""
    action_server_url: str = "http://127.0.0.1:5055"
    link_ttl_minutes: int = Field(default=30, ge=1, le=24 * 60)
    chat_session_idle_minutes: int = Field(default=60, ge=1)
    # Rasa's tracker events (dialogue state, with message text) are deleted after each practice's
    # `dialogue_retention_days`; events of no known conversation after this many days
    # (assistant/services/tracker_retention.py).
    tracker_retention_days: int = Field(default=30, ge=1)
    practice_slug: str = "lakeside"
    rasa_timeout_seconds: float = 20.0
    # How long a message may wait for a bot that is out (conversation/outage.py) before a person
    # is asked to take over; 0: at once.
    bot_outage_hold_seconds: float = Field(default=60.0, ge=0, le=15 * 60)
    # Twilio. Without an account SID (demo/test) texts are recorded locally, not sent.
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_messaging_service_sid: str = ""
    twilio_from_number: str = ""  # default: the practice's own number
    twilio_api_base_url: str = ""  # tests point the real twilio client at a local fake API
    twilio_timeout_seconds: float = 10.0
    redis_url: str = ""  # per-number rate limits; in-process when unset
    sms_rate_limit_per_minute: int = Field(default=8, ge=1)
    sms_workers: int = Field(default=8, ge=1)
    # Phone calls: Twilio waits 15 s for TwiML, callers far less.  A turn the bot has not
    # answered within this budget gets a short filler and a <Redirect> to collect it.
    voice_reply_budget_seconds: float = Field(default=1.2, gt=0, le=10)
    voice_workers: int = Field(default=8, ge=1)
    # The outreach loop (reminders, follow-ups) in the gateway.  None: on, except with
    # ASSISTANT_ENV=test, whose tests drive outreach at explicit moments (run_once, `assistant
    # outreach run --now`) so that a clock-driven pass never texts another test's clients.
    outreach_scheduler: bool | None = None
    log_level: str = "INFO"
    # Trusted reverse proxies (IPs/CIDRs, comma-separated): only a peer listed here may set the
    # client address with X-Forwarded-For / X-Forwarded-Proto. Empty: no forwarding header counts.
    forwarded_allow_ips: str = ""

    @model_validator(mode="after")
    def _check_forwarded_allow_ips(self) -> Settings:
        self.forwarded_allow_ips = ",".join(parse_trusted_proxies(self.forwarded_allow_ips))
        return self

    @property
    def trusted_proxies(self) -> list[str]:
        return self.forwarded_allow_ips.split(",") if self.forwarded_allow_ips else []

    @model_validator(mode="after")
    def _fill_demo_defaults(self) -> Settings:
        explicit_base_url = bool(self.public_base_url)
        if not self.public_base_url:
            self.public_base_url = f"http://localhost:{self.port}"
        if self.is_production and not explicit_base_url:
            raise ConfigError(
                "PUBLIC_BASE_URL must be set in production: it is the address "
                "clients open from the links the assistant sends."
            )
        self.public_base_url = self.public_base_url.rstrip("/")
        if not self.twilio_auth_token:
            if self.is_production or self.twilio_account_sid:
                raise ConfigError(
                    "TWILIO_AUTH_TOKEN is not set: it is needed to check that SMS "
                    "webhooks really come from Twilio (Twilio console > Account > "
                    "API keys & tokens)."
                )
            self.twilio_auth_token = DEMO_TWILIO_AUTH_TOKEN
        if self.is_production and not self.twilio_account_sid:
            raise ConfigError("TWILIO_ACCOUNT_SID is not set: production sends real texts.")
        return self

    @property
    def rasa_replica_urls(self) -> list[str]:
        """RASA_URLS in order, or [RASA_URL] when it is unset."""
        urls = [url.strip().rstrip("/") for url in self.rasa_urls.split(",") if url.strip()]
        return urls or [self.rasa_url]

    @property
    def sends_real_sms(self) -> bool:
        return bool(self.twilio_account_sid)

    @property
    def outreach_loop_enabled(self) -> bool:
        return self.outreach_scheduler if self.outreach_scheduler is not None else self.assistant_env != "test"

    @property
    def is_production(self) -> bool:
        return self.assistant_env == "production"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings for this process, read once (tests build their own `Settings`)."""
    return Settings()
