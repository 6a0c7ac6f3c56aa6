"""Builds the gateway app: the only public surface of the assistant."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from assistant.api.routes import chat, health, links, sms
from assistant.api.routes import console, rep_api
from assistant.channels.sms.channel import SmsChannel
from assistant.api.cors import WidgetCORS
from assistant.api.routes import widget as widget_routes
from assistant.config import Settings, get_settings
from assistant.dialogue.bot import RasaBot
from assistant.dialogue.turns import TurnProcessor
from assistant.logs import configure, get_logger, request_id_var

log = get_logger("api")


def _describe(error: dict) -> str:
    where = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
    return f"{where}: {error.get('msg')}" if where else str(error.get("msg"))


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        bot = RasaBot(settings.rasa_url, settings.rasa_timeout_seconds)
        app.state.bot = bot
        app.state.turns = TurnProcessor(bot, settings.database_url)
        app.state.sms = SmsChannel(settings, app.state.turns)
        app.state.sms.start()
        try:
            yield
        finally:
            app.state.sms.stop()
            bot.close()

    # The interactive API docs are for developers, not for the public internet.
    docs = {} if not settings.is_production else {"docs_url": None, "redoc_url": None, "openapi_url": None}
    app = FastAPI(title="Practice front desk", lifespan=lifespan, **docs)
    app.state.settings = settings

    @app.middleware("http")
    async def request_id(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        rid = str(uuid.uuid4())
        request.state.request_id = rid
        token = request_id_var.set(rid)
        try:
            response = await call_next(request)
        finally:
            request_id_var.reset(token)
        response.headers["X-Request-ID"] = rid
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # Input is never echoed back: it may hold what the client should not have sent.
        problems = [_describe(error) for error in exc.errors()]
        return JSONResponse(status_code=422, content={"detail": "; ".join(problems) or "invalid request"})

    app.add_middleware(WidgetCORS, settings=settings)  # per-practice origins for /api/chat/
    app.include_router(widget_routes.router)
    app.include_router(health.router)
    app.include_router(chat.router)
    app.include_router(links.router)
    app.include_router(sms.router)
    app.include_router(rep_api.router)
    app.include_router(console.router)
    return app


def app_from_env() -> FastAPI:
    """Entry point for uvicorn (`--factory`): settings from the environment, logging configured."""
    settings = get_settings()
    configure(settings.log_level)
    return create_app(settings)
