from __future__ import annotations

import re
from pathlib import Path

import pytest

import kg
from kg.read.source import bundled_plan_path


@pytest.fixture(scope="session")
def bundled():
    """The bundled plan's model (extracted once per test session)."""
    return kg.extract()


@pytest.fixture(scope="session")
def bundled_lines() -> list[str]:
    """The bundled plan's raw lines; index i is source line i + 1."""
    return bundled_plan_path().read_text(encoding="utf-8").split("\n")


def squash(text: str) -> str:
    """Text without any whitespace: how a title reads once wrap spaces are gone."""
    return re.sub(r"\s+", "", text)


@pytest.fixture
def write_plan(tmp_path: Path):
    def _write(text: str, name: str = "plan.txt", encoding: str = "utf-8") -> Path:
        p = tmp_path / name
        p.write_bytes(text.encode(encoding))
        return p

    return _write


def pytest_addoption(parser):
    parser.addoption(
        "--regen-golden",
        action="store_true",
        help="rewrite tests/golden/* from the current code (review the diff before committing)",
    )


@pytest.fixture
def regen_golden(request) -> bool:
    return request.config.getoption("--regen-golden")


@pytest.fixture(scope="session")
def bundled_build(tmp_path_factory):
    """The bundled plan built once into a temporary build folder."""
    from kg.shells.build import build

    out = tmp_path_factory.mktemp("build")
    return build(None, out), out


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (no browser download needed)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: ./dev test installs Debian's chromium and a CJK font")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                "--disable-quic",
            ],
        )
        yield b
        b.close()
