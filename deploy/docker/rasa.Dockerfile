# The `rasa` image: Rasa 3.6 in .venv-rasa, the start-up hook (rasa_boot), the project's NLU
# components and the model, trained while the image is built (so a pod never downloads or
# trains anything). Build from the repository root:
#   docker build -f deploy/docker/rasa.Dockerfile -t registry.example.org/front-desk/rasa:1.0.0 .
# Rasa 3.6.21 declares Python < 3.11; it runs on 3.11 installed from the lock with no
# resolver (requirements/rasa.lock, the same recipe as `make setup`).
FROM python:3.11-slim-bookworm AS rasa-environment

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY requirements/rasa.lock requirements/rasa.lock
RUN python -m venv .venv-rasa \
    && .venv-rasa/bin/pip install --no-deps --ignore-requires-python -r requirements/rasa.lock

# Training: the same inputs and arguments as `assistant train` (assistant/training.py).
FROM rasa-environment AS training
COPY domain.yml config.yml ./
COPY data data
COPY nlu_components nlu_components
RUN TF_CPP_MIN_LOG_LEVEL=2 RASA_TELEMETRY_ENABLED=false \
    .venv-rasa/bin/rasa train --domain domain.yml --config config.yml --data data \
        --out models --fixed-model-name model

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
WORKDIR /app
COPY --from=rasa-environment /app/.venv-rasa .venv-rasa
# config.yml names the classifier in nlu_components/: the model loads its code from here.
COPY nlu_components nlu_components
COPY rasa_boot rasa_boot
COPY credentials.yml ./
COPY --from=training /app/models/model.tar.gz models/model.tar.gz
RUN useradd --uid 10001 --no-create-home --home-dir /tmp --shell /usr/sbin/nologin rasa
USER 10001
EXPOSE 5005
# deploy/kubernetes/20-rasa.yaml adds the endpoints file (tracker and lock stores) it mounts.
CMD [".venv-rasa/bin/python", "-m", "rasa_boot", "run", "--enable-api", "-i", "0.0.0.0", "--port", "5005", "--model", "/app/models/model.tar.gz", "--credentials", "credentials.yml"]
