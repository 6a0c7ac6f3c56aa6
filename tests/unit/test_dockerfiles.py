"""deploy/docker/ builds the two images deploy/kubernetes/ runs, and they fit the manifests:
everything copied exists and is not ignored, the environments are installed with the verified
recipe, the commands the manifests run are in the images, users and the model path match.

No Docker daemon here (and no registry for base images), so the Dockerfiles are read, not
built: these checks catch what breaks a build or a rollout once the tree moves on (a file
renamed, a lock split, a manifest's model path changed)."""

from __future__ import annotations

import fnmatch
import json
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.config import PROJECT_ROOT
from tests.unit.test_kubernetes_manifests import by_kind

DOCKER = PROJECT_ROOT / "deploy" / "docker"
APP, RASA = DOCKER / "app.Dockerfile", DOCKER / "rasa.Dockerfile"
IMAGES = {"app": APP, "rasa": RASA}


@dataclass(frozen=True)
class Instruction:
    stage: int
    keyword: str
    arguments: str


def instructions(path: Path) -> list[Instruction]:
    """The Dockerfile's instructions, continuation lines joined. (Written here: the syntax
    used is a handful of keywords, and a Dockerfile parser is not among the dependencies.)"""
    found: list[Instruction] = []
    stage, pending = -1, ""
    for line in path.read_text().splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue  # a comment inside a continued instruction
        pending += " " + stripped.removesuffix("\\").strip()
        if stripped.endswith("\\"):
            continue
        keyword, _, arguments = pending.strip().partition(" ")
        if keyword.upper() == "FROM":
            stage += 1
        found.append(Instruction(stage, keyword.upper(), arguments.strip()))
        pending = ""
    return found


def final_stage(path: Path) -> list[Instruction]:
    steps = instructions(path)
    return [step for step in steps if step.stage == steps[-1].stage]


def ignored(relative: str) -> bool:
    patterns = [
        line.strip()
        for line in (PROJECT_ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    parts = Path(relative).parts
    return any(
        fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(relative, pattern.removeprefix("**/")) or pattern in parts
        for pattern in patterns
    )


def copies(path: Path) -> list[tuple[list[str], str]]:
    """(sources, destination) of each COPY from the build context (not from another stage)."""
    result = []
    for step in instructions(path):
        if step.keyword == "COPY" and not step.arguments.startswith("--from="):
            *sources, destination = shlex.split(step.arguments)
            result.append((sources, destination))
    return result


def manifest_command(workload: str) -> list[str]:
    workloads = {**by_kind("Deployment"), **by_kind("StatefulSet"), **by_kind("Job")}
    container = workloads[workload]["spec"]["template"]["spec"]["containers"][0]
    return list(container["command"])


@pytest.mark.parametrize("image", sorted(IMAGES))
def test_everything_copied_exists_and_is_not_ignored(image: str) -> None:
    for sources, _destination in copies(IMAGES[image]):
        for source in sources:
            assert (PROJECT_ROOT / source).exists(), f"{image}: COPY {source}: not in the repository"
            assert not ignored(source), f"{image}: COPY {source}: excluded by .dockerignore"


@pytest.mark.parametrize("image", sorted(IMAGES))
def test_base_images_are_pinned_and_match_the_development_python(image: str) -> None:
    bases = [step.arguments.split()[0] for step in instructions(IMAGES[image]) if step.keyword == "FROM"]
    stages = {step.arguments.split()[-1] for step in instructions(IMAGES[image]) if " AS " in step.arguments}
    for base in bases:
        if base in stages:
            continue
        name, _, tag = base.partition(":")
        assert name == "python" and tag.startswith("3.11-"), f"{image}: {base}: Python 3.11, a pinned tag"


@pytest.mark.parametrize("image", sorted(IMAGES))
def test_the_image_runs_as_the_manifests_user(image: str) -> None:
    users = [step.arguments for step in final_stage(IMAGES[image]) if step.keyword == "USER"]
    workload = {"app": "gateway", "rasa": "rasa"}[image]
    workloads = {**by_kind("Deployment"), **by_kind("StatefulSet")}
    expected = workloads[workload]["spec"]["template"]["spec"]["securityContext"]["runAsUser"]
    assert users == [str(expected)]


def test_the_environments_are_installed_with_the_verified_recipe() -> None:
    app_runs = " ".join(step.arguments for step in instructions(APP) if step.keyword == "RUN")
    assert ".venv/bin/pip install -r requirements/app.lock" in app_runs
    assert "dev.lock" not in app_runs  # test and lint tools stay out of the image
    assert ".venv/bin/pip install --no-deps -e ." in app_runs  # the project root stays /app
    rasa_runs = " ".join(step.arguments for step in instructions(RASA) if step.keyword == "RUN")
    assert ".venv-rasa/bin/pip install --no-deps --ignore-requires-python -r requirements/rasa.lock" in rasa_runs


def test_the_manifests_commands_are_in_the_images() -> None:
    app_env = " ".join(step.arguments for step in final_stage(APP) if step.keyword == "ENV")
    assert "PATH=/app/.venv/bin:" in app_env
    for workload in ("gateway", "actions", "front-desk-migrate"):
        program = manifest_command(workload)[0]
        assert program in {"python", "assistant"}, f"{workload}: {program} is not on the image's PATH"
    assert manifest_command("front-desk-migrate")[:2] == ["assistant", "migrate"]  # pyproject's console script
    rasa = manifest_command("rasa")
    assert rasa[:3] == [".venv-rasa/bin/python", "-m", "rasa_boot"]
    rasa_copies = {destination for _sources, destination in copies(RASA)}
    assert {"rasa_boot", "nlu_components"} <= rasa_copies
    workdirs = [step.arguments for step in final_stage(RASA) if step.keyword == "WORKDIR"]
    assert workdirs == ["/app"]  # .venv-rasa/bin/python and rasa_boot resolve from here
    assert any(
        step.keyword == "COPY" and step.arguments.split()[-2:] == ["/app/.venv-rasa", ".venv-rasa"]
        for step in final_stage(RASA)
    )


def test_the_model_is_trained_in_the_build_where_the_manifest_loads_it() -> None:
    rasa = manifest_command("rasa")
    model = rasa[rasa.index("--model") + 1]
    copied = [step.arguments.split() for step in final_stage(RASA) if step.keyword == "COPY"]
    assert ["--from=training", "/app/models/model.tar.gz", "models/model.tar.gz"] in copied
    assert model == "/app/models/model.tar.gz"
    train = next(step.arguments for step in instructions(RASA) if "rasa train" in step.arguments)
    for argument in ("--domain domain.yml", "--config config.yml", "--data data", "--fixed-model-name model"):
        assert argument in train  # the inputs `assistant train` uses (assistant/training.py)


def test_the_default_commands_are_json_arrays() -> None:
    for image, path in IMAGES.items():
        (command,) = [step.arguments for step in final_stage(path) if step.keyword == "CMD"]
        assert isinstance(json.loads(command), list), f"{image}: exec form, so signals reach the server"
