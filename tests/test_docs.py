"""The README is executed: its commands and its Python snippet must keep working."""

from __future__ import annotations

import shlex
from pathlib import Path

from typer.testing import CliRunner

from kg.shells.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(lang: str) -> list[str]:
    """Fenced code blocks of the README in language ``lang`` ('' for unlabelled)."""
    found, current, current_lang = [], None, None
    for line in README.splitlines():
        if line.startswith("```"):
            if current is None:
                current, current_lang = [], line[3:].strip()
            else:
                if current_lang == lang:
                    found.append("\n".join(current) + "\n")
                current = None
        elif current is not None:
            current.append(line)
    return found


def test_the_two_commands_are_on_the_first_screen_and_ci_runs_the_test_one():
    first_screen = README[:1500]
    assert "./dev build" in first_screen and "./dev test" in first_screen
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "./dev test" in ci
    dev = (ROOT / "dev").read_text(encoding="utf-8")
    assert "build)" in dev and "test)" in dev


def test_readme_plankg_commands_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my-plan.txt").write_text(
        "第一章 推进乡村振兴\n\n稳定粮食生产。严守耕地红线，稳定粮食播种面积。\n", encoding="utf-8"
    )
    runner = CliRunner()
    commands = [ln.split("#")[0].strip() for b in blocks("sh") for ln in b.splitlines()]
    commands = [c for c in commands if c.startswith("plankg ")]
    assert len(commands) >= 4
    for command in commands:
        result = runner.invoke(app, shlex.split(command)[1:])
        assert result.exit_code == 0, (command, result.output)
    assert (tmp_path / "build" / "bayannur-14th-fyp.ttl").exists()
    assert (tmp_path / "out" / "my-plan.ttl").exists()


def test_readme_python_snippet_runs():
    for code in blocks("python"):
        exec(compile(code, "README.md", "exec"), {})


def _show_their_output(runner: CliRunner, examples: list[str]) -> None:
    """Each README block ``$ plankg …`` then its output: the command prints those lines first."""
    for block in examples:
        command, *expected = block.strip().splitlines()
        result = runner.invoke(app, shlex.split(command[2:])[1:])
        assert result.exit_code == 0, result.output
        got = result.stdout.replace("\r\n", "\n").strip().splitlines()
        assert got[: len(expected)] == expected, command


def test_readme_query_examples_show_their_real_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(app, ["build"]).exit_code == 0
    examples = [b for b in blocks("") if b.startswith("$ plankg query") and "--data six/" not in b]
    assert len(examples) >= 3
    _show_their_output(runner, examples)


def test_readme_error_example_is_what_the_cli_prints(tmp_path, monkeypatch):
    block = next(b for b in blocks("") if "error:" in b)
    command, expected = block.strip().splitlines()
    monkeypatch.chdir(tmp_path)
    Path("plan.txt").write_bytes("第一章 发展成就\n\n综合实力稳步提升。\n".encode("gb18030"))
    result = CliRunner().invoke(app, shlex.split(command.lstrip("$ "))[1:])
    assert result.exit_code == 2
    assert result.output.strip() == expected


def test_readme_cross_plan_example_shows_its_real_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(app, ["build", "--bundled", "--out", "six/", "--no-html"]).exit_code == 0
    examples = [b for b in blocks("") if b.startswith("$ plankg query") and "--data six/" in b]
    assert examples
    _show_their_output(runner, examples)
