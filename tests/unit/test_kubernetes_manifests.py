"""deploy/kubernetes/ validates against the Kubernetes API schemas (offline, kubernetes-validate,
strict: unknown fields are errors), and its pieces fit together: probes hit real endpoints,
references resolve, every Rasa replica is routed to, secrets are placeholders."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from starlette.routing import Match

from assistant.api.main import create_app
from assistant.config import PROJECT_ROOT, Settings

MANIFESTS = PROJECT_ROOT / "deploy" / "kubernetes"
KUBERNETES_VERSION = "1.30.0"  # the oldest minor still supported by the managed clusters we target


def documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def all_documents() -> list[dict[str, Any]]:
    return [doc for path in sorted(MANIFESTS.glob("*.yaml")) for doc in documents(path)]


def by_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for doc in all_documents() if doc["kind"] == kind}


def containers() -> list[dict[str, Any]]:
    workloads = [*by_kind("Deployment").values(), *by_kind("StatefulSet").values(), *by_kind("Job").values()]
    return [container for doc in workloads for container in doc["spec"]["template"]["spec"]["containers"]]


def validate_all(docs: list[dict[str, Any]]) -> None:
    for doc in docs:
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize("path", sorted(MANIFESTS.glob("*.yaml")), ids=lambda path: path.name)
def test_every_manifest_validates(path: Path) -> None:
    docs = documents(path)
    assert docs
    validate_all(docs)


@pytest.mark.parametrize(
    ("original", "broken"),
    [
        ("readinessProbe:", "readynessProbe:"),  # a misspelt field (strict schemas)
        ("containerPort: 8000", 'containerPort: "eight thousand"'),  # a wrong type
        ("minAvailable: 1", "minAvailable: [1]"),
    ],
)
def test_a_broken_copy_fails_validation(original: str, broken: str, tmp_path: Path) -> None:
    text = (MANIFESTS / "10-gateway.yaml").read_text()
    assert original in text
    copy = tmp_path / "10-gateway.yaml"
    copy.write_text(text.replace(original, broken, 1))
    with pytest.raises(kubernetes_validate.ValidationError):
        validate_all(documents(copy))


def test_the_topology_is_all_there() -> None:
    assert set(by_kind("Deployment")) == {"gateway", "actions"}
    assert set(by_kind("StatefulSet")) == {"rasa"}
    assert set(by_kind("Service")) == {"gateway", "rasa", "actions"}
    assert set(by_kind("PodDisruptionBudget")) == {"gateway", "rasa", "actions"}
    assert set(by_kind("Job")) == {"front-desk-migrate"}
    assert by_kind("Deployment")["gateway"]["spec"]["replicas"] >= 2
    assert by_kind("Job")["front-desk-migrate"]["spec"]["template"]["spec"]["containers"][0]["command"] == [
        "assistant",
        "migrate",
    ]


def test_gateway_probes_hit_real_gateway_endpoints() -> None:
    # The gateway as the ConfigMap configures it (which also proves Settings accepts those values).
    environment = {
        **by_kind("ConfigMap")["front-desk-config"]["data"],
        **by_kind("Secret")["front-desk-secrets"]["stringData"],
        "DATABASE_URL": "sqlite://",
    }
    app = create_app(Settings(**{key.lower(): value for key, value in environment.items()}))
    gateway = by_kind("Deployment")["gateway"]["spec"]["template"]["spec"]["containers"][0]
    probed = {gateway[probe]["httpGet"]["path"] for probe in ("startupProbe", "readinessProbe", "livenessProbe")}
    # Readiness must not depend on Rasa: a gateway keeps accepting texts while the bot restarts.
    assert probed == {"/readyz", "/livez"}
    for path in probed:
        scope = {"type": "http", "method": "GET", "path": path, "root_path": "", "headers": []}
        assert any(route.matches(scope)[0] is Match.FULL for route in app.routes), path
    assert not any(route.matches({**scope, "path": "/no-such-probe"})[0] is Match.FULL for route in app.routes)


def test_rasa_and_action_server_probes_hit_their_health_endpoints() -> None:
    rasa = by_kind("StatefulSet")["rasa"]["spec"]["template"]["spec"]["containers"][0]
    assert rasa["readinessProbe"]["httpGet"]["path"] == "/status"
    assert rasa["livenessProbe"]["httpGet"]["path"] == "/"
    actions = by_kind("Deployment")["actions"]["spec"]["template"]["spec"]["containers"][0]
    assert actions["readinessProbe"]["httpGet"]["path"] == "/health"


def test_every_rasa_replica_is_routed_to_and_runs_one_sanic_worker() -> None:
    rasa = by_kind("StatefulSet")["rasa"]
    config = by_kind("ConfigMap")["front-desk-config"]["data"]
    service = rasa["spec"]["serviceName"]
    expected = [f"http://rasa-{n}.{service}:5005" for n in range(rasa["spec"]["replicas"])]
    assert config["RASA_URLS"].split(",") == expected
    assert by_kind("Service")[service]["spec"]["clusterIP"] == "None"  # per-pod DNS names
    env = {item["name"]: item.get("value") for item in rasa["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["SANIC_WORKERS"] == "1"
    assert "rasa_boot" in rasa["spec"]["template"]["spec"]["containers"][0]["command"]


def test_every_container_requests_memory_and_cpu() -> None:
    for container in containers():
        requests = container["resources"]["requests"]
        assert {"cpu", "memory"} <= set(requests), container["name"]
        assert "memory" in container["resources"]["limits"], container["name"]


def test_references_resolve() -> None:
    config_maps, secrets = set(by_kind("ConfigMap")), by_kind("Secret")
    for container in containers():
        for source in container.get("envFrom", []):
            if "configMapRef" in source:
                assert source["configMapRef"]["name"] in config_maps
            if "secretRef" in source:
                assert source["secretRef"]["name"] in secrets
        for item in container.get("env", []):
            if ref := item.get("valueFrom", {}).get("secretKeyRef"):
                assert ref["key"] in secrets[ref["name"]]["stringData"]
    # Every ${VARIABLE} in Rasa's endpoints comes from the Rasa pod's environment.
    endpoints = by_kind("ConfigMap")["rasa-endpoints"]["data"]["endpoints.yml"]
    rasa = by_kind("StatefulSet")["rasa"]["spec"]["template"]["spec"]["containers"][0]
    available = {item["name"] for item in rasa["env"]}
    for source in rasa["envFrom"]:
        available |= set(secrets[source["secretRef"]["name"]]["stringData"])
    assert set(re.findall(r"\$\{(\w+)\}", endpoints)) <= available
    assert yaml.safe_load(endpoints)["tracker_store"]["type"] == "SQL"


def test_secrets_hold_placeholders_only() -> None:
    for secret in by_kind("Secret").values():
        for key, value in secret["stringData"].items():
            looks_secret = any(word in key for word in ("PASSWORD", "TOKEN", "URL"))
            assert not looks_secret or "CHANGE-ME" in value, key
            if key.endswith("_SID"):
                assert set(value[2:]) == {"0"}, key
