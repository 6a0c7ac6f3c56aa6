"""Builds the gateway app: the only public surface of the assistant."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from assistant.api.body_limit import BodyLimit
from assistant.api.cors import WidgetCORS
from assistant.api.request_context import RequestContext
from assistant.api.routes import (
    chat,
    chat_feedback,
    console,
    health,
    insights_page,
    links,
    rep_api,
    rep_practice_questions,
    sms,
    voice,
)
from assistant.api.routes import widget as widget_routes
from assistant.api.security_headers import SecurityHeaders
from assistant.api.throttle import build_rate_limiter
from assistant.channels.sms.adapter import SmsAdapter
from assistant.channels.sms.channel import SmsChannel
from assistant.channels.sms.ratelimit import RateLimiter
from assistant.channels.voice.adapter import VoiceAdapter
from assistant.channels.voice.channel import VoiceChannel
from assistant.channels.web.adapter import WebChatAdapter
from assistant.channels.web.channel import WebChatChannel
from assistant.config import Settings, get_settings
from assistant.conversation.outage import OutagePolicy, action_server_ready
from assistant.conversation.pipeline import Pipeline
from assistant.conversation.recovery import Recovery
from assistant.dialogue.replicas import RasaReplicas
from assistant.live.changes import LiveChanges
from assistant.logs import configure, get_logger
from assistant.outreach.scheduler import outreach_loop
from assistant.services.insights.rollup_job import rollup_loop
from assistant.services.tracker_retention import tracker_retention_loop
from assistant.store.models import Channel

log = get_logger("api")


def _describe(error: Mapping[str, Any]) -> str:
    where = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
    return f"{where}: {error.get('msg')}" if where else str(error.get("msg"))


# What `invalid_request` answers: one sentence, never the rejected input.  FastAPI's own
# document would promise its default shape (a list of errors echoing the input).
VALIDATION_PROBLEM_SCHEMA = {
    "title": "HTTPValidationError",
    "type": "object",
    "properties": {"detail": {"type": "string", "title": "Detail"}},
    "required": ["detail"],
}


def _document_validation_errors(app: FastAPI) -> None:
    """The OpenAPI document describes 422s as the handler really sends them."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build()
            schemas = document.get("components", {}).get("schemas", {})
            if "HTTPValidationError" in schemas:
                schemas["HTTPValidationError"] = VALIDATION_PROBLEM_SCHEMA
                schemas.pop("ValidationError", None)
            app.openapi_schema = document
        return app.openapi_schema

    # Replacing the method is FastAPI's documented way to extend the schema ("Extending OpenAPI").
    app.openapi = openapi  # type: ignore[method-assign]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        bot = RasaReplicas(settings.rasa_replica_urls, settings.rasa_timeout_seconds)
        app.state.bot = bot
        adapters = {
            Channel.WEB: WebChatAdapter(),
            Channel.SMS: SmsAdapter(RateLimiter(settings.sms_rate_limit_per_minute, settings.redis_url)),
            Channel.VOICE: VoiceAdapter(),
        }

        def actions_ready() -> bool:
            return action_server_ready(settings.action_server_url)

        outage = OutagePolicy(settings.bot_outage_hold_seconds, actions_ready=actions_ready)
        app.state.turns = Pipeline(bot, settings.database_url, adapters, outage=outage)
        app.state.sms = SmsChannel(settings, app.state.turns)
        app.state.web_chat = WebChatChannel(app.state.turns)
        app.state.voice = VoiceChannel(settings, app.state.turns)
        app.state.recovery = Recovery(
            {
                Channel.SMS: app.state.sms.dispatch,
                Channel.WEB: app.state.web_chat.answer_later,
                Channel.VOICE: app.state.voice.dispatch,
            },
            owner=app.state.turns.owner,
            database_url=settings.database_url,
            bot_ready=lambda: bot.is_ready() and actions_ready(),
            hold_seconds=settings.bot_outage_hold_seconds,
        )
        app.state.turns.on_hold = app.state.recovery.wake_for_held
        app.state.outreach = outreach_loop(settings.database_url) if settings.outreach_loop_enabled else None
        # Rasa's old dialogue events are deleted hourly (each practice's retention); tests prune
        # explicitly (their own clock).
        app.state.tracker_retention = (
            tracker_retention_loop(dt.timedelta(days=settings.tracker_retention_days), settings.database_url)
            if settings.assistant_env != "test"
            else None
        )
        # Insights' settled days are counted once (a backfill at start-up, then hourly); tests
        # roll up explicitly, with their own clock.
        app.state.insights_rollup = rollup_loop(settings.database_url) if settings.assistant_env != "test" else None
        app.state.live = LiveChanges(settings.database_url)
        app.state.live.start()
        app.state.sms.start()
        app.state.recovery.start()
        if app.state.outreach is not None:
            app.state.outreach.start()
        if app.state.tracker_retention is not None:
            app.state.tracker_retention.start()
        if app.state.insights_rollup is not None:
            app.state.insights_rollup.start()
        try:
            yield
        finally:
            if app.state.insights_rollup is not None:
                app.state.insights_rollup.stop()
            if app.state.tracker_retention is not None:
                app.state.tracker_retention.stop()
            if app.state.outreach is not None:
                app.state.outreach.stop()
            app.state.recovery.stop()
            app.state.live.stop()
            app.state.web_chat.stop()
            app.state.voice.stop()
            app.state.sms.stop()
            app.state.turns.close()
            bot.close()

    # The interactive API docs are for developers, not for the public internet.
    # (FastAPI's own default paths otherwise.)
    docs = not settings.is_production
    app = FastAPI(
        title="Practice front desk",
        lifespan=lifespan,
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
        openapi_url="/openapi.json" if docs else None,
    )
    app.state.settings = settings
    # One rate limiter per app (Redis-backed when REDIS_URL is set): per-address limits.
    app.state.rate_limiter = build_rate_limiter(settings)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # Input is never echoed back: it may hold what the client should not have sent.
        problems = [_describe(error) for error in exc.errors()]
        return JSONResponse(status_code=422, content={"detail": "; ".join(problems) or "invalid request"})

    _document_validation_errors(app)
    app.add_middleware(WidgetCORS, settings=settings)  # per-practice origins for /api/chat/
    # Each add_middleware wraps what was added before it.  From the outside in: security
    # headers on every response (413s, CORS refusals and 500s too), then the request id,
    # access log and JSON 500, then the body cap, which refuses an oversized body before
    # CORS, routes or parsers see any of it.
    app.add_middleware(BodyLimit)
    app.add_middleware(RequestContext)
    app.add_middleware(SecurityHeaders, settings=settings)
    app.include_router(widget_routes.router)
    app.include_router(health.router)
    app.include_router(chat.router)
    app.include_router(chat_feedback.router)  # "Did we help?" after a resolution
    app.include_router(links.router)
    app.include_router(sms.router)
    app.include_router(voice.router)
    app.include_router(rep_api.router)
    app.include_router(console.router)
    app.include_router(rep_practice_questions.api)  # the admin's practice-question answers
    app.include_router(rep_practice_questions.pages)
    app.include_router(insights_page.router)
    # Keep this the LAST add_middleware: the last added runs first, and everything after it
    # (throttles, audit, logs) must see the real client in request.client. Only peers listed in
    # FORWARDED_ALLOW_IPS may set it via X-Forwarded-For; uvicorn's own handling is switched off
    # (--no-proxy-headers in assistant/stack.py), so with none listed the peer address stands.
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    return app


def app_from_env() -> FastAPI:
    """Entry point for uvicorn (`--factory`): settings from the environment, logging configured."""
    settings = get_settings()
    configure(settings.log_level)
    return create_app(settings)
