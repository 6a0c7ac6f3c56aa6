# The `app` image: the project with .venv (the gateway, the action server and the `assistant`
# CLI; deploy/kubernetes/ runs all three from it). Build from the repository root:
#   docker build -f deploy/docker/app.Dockerfile -t registry.example.org/front-desk/app:1.0.0 .
# Only the registries are reached at build time (PyPI, Debian); nothing is downloaded at start.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# The locked dependencies first, so a code change reuses this layer.
COPY requirements/app.lock requirements/app.lock
RUN python -m venv .venv && .venv/bin/pip install -r requirements/app.lock

COPY pyproject.toml README.md alembic.ini ./
COPY assistant assistant
COPY actions actions
# Editable, as `make setup` installs it: the project root stays /app (alembic.ini, migrations).
RUN .venv/bin/pip install --no-deps -e . \
    && useradd --uid 10001 --no-create-home --home-dir /tmp --shell /usr/sbin/nologin frontdesk

ENV PATH=/app/.venv/bin:$PATH
USER 10001
EXPOSE 8000 5055
# deploy/kubernetes/ gives each Deployment its own command; alone, the image serves the gateway.
CMD ["python", "-m", "uvicorn", "assistant.api.main:app_from_env", "--factory", "--host", "0.0.0.0", "--port", "8000", "--no-access-log", "--no-proxy-headers"]
