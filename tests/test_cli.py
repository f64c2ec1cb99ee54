"""The command line as a user meets it: outputs, one-line errors, exit codes."""

from __future__ import annotations

import json
import os
import re
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from kg.errors import InputError
from kg.shells.cli import app

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def schema():
    return json.loads((resources.files("kg") / "schema" / "plan-model.schema.json").read_text(encoding="utf-8"))


def test_committed_schema_is_generated_from_the_model():
    from kg.schema import committed_path, schema_text

    assert committed_path().read_text(encoding="utf-8") == schema_text(), "run: python -m kg.schema"


def test_extract_json_of_the_bundled_plan_matches_the_schema(schema):
    result = invoke("extract", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    jsonschema.validate(data, schema)
    assert data["id"] == "bayannur-14th-fyp" and len(data["projects"]) == 148


def test_build_writes_the_model_and_prints_counts(tmp_path):
    result = invoke("build", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert re.search(r"pk:Project\s*│\s*148", result.stdout)
    data = json.loads((tmp_path / "bayannur-14th-fyp.json").read_text(encoding="utf-8"))
    assert len(data["chapters"]) == 39 and len(data["indicators"]) == 22


def test_id_option_and_output_file(tmp_path, write_plan):
    plan = write_plan("第一章 推进乡村振兴\n\n稳定粮食生产。严守耕地红线，稳定粮食播种面积。\n")
    out = tmp_path / "out" / "m.json"
    result = invoke("extract", str(plan), "--json", "--id", "demo", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["id"] == "demo"


def _file(name: str, data: bytes):
    def make(folder):
        (folder / name).write_bytes(data)
        return folder / name

    return make


def _fifo(path):
    os.mkfifo(path)  # a pipe nobody writes: reading it would wait forever
    return path


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p / "missing.txt", "no such file"),
        (lambda p: p, "is a directory"),
        (_file("x.bin", b"\x7fELF\x00\x01\x02" * 50), "binary"),
        (_file("e.txt", b""), "is empty"),
        (_file("n.txt", "这是一段普通的文字。\n".encode()), "no plan headings"),
        (_file("g.txt", "第一章 发展成就\n".encode("gb18030")), "try --encoding gb18030"),
        (_file("w.txt", "第一章 发展成就\n".encode("utf-16")), "try --encoding utf-16"),
        (_file("le.txt", "第一章 发展成就 is here\n".encode("utf-16-le")), "try --encoding utf-16le"),
        (lambda p: _fifo(p / "pipe.txt"), "not a regular file"),
        (lambda p: Path("/dev/zero"), "not a regular file"),
        (_file("big.txt", "第一章 发展成就\n".encode() * 200_000), "raise the limit with --max-size"),
    ],
)
def test_bad_input_gets_one_line_and_exit_2(tmp_path, make, message):
    result = invoke("extract", str(make(tmp_path)), "--max-size", "2")
    assert result.exit_code == 2
    lines = [ln for ln in result.output.strip().split("\n") if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0]
    assert "Traceback" not in result.output


def test_other_encodings_with_the_option(write_plan):
    plan = write_plan("第一章 推进乡村振兴\n\n稳定粮食生产。严守耕地红线，稳定粮食播种面积。\n", encoding="gb18030")
    result = invoke("extract", str(plan), "--encoding", "gb18030", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["chapters"][0]["title"] == "推进乡村振兴"
    wide = write_plan(
        "第一章 推进乡村振兴\n\n稳定粮食生产。严守耕地红线，稳定粮食播种面积。\n", name="wide.txt", encoding="utf-16"
    )
    result = invoke("extract", str(wide), "--encoding", "utf-16", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["chapters"][0]["title"] == "推进乡村振兴"
    bad = invoke("extract", str(plan), "--encoding", "klingon")
    assert bad.exit_code == 2 and "unknown encoding" in bad.output


def test_control_characters_are_removed_with_a_warning(write_plan):
    text = (
        "第一章 推进乡村振兴\n\n"
        + "稳定粮食生产。" * 2000
        + "\x00\x01严守耕地红线。\n\n第二章 推动绿色发展\n\n统筹治理。\n"
    )
    result = invoke("extract", str(write_plan(text)), "--json")
    assert result.exit_code == 0
    model = json.loads(result.stdout)
    assert [c["title"] for c in model["chapters"]] == ["推进乡村振兴", "推动绿色发展"]
    assert "\x00" not in result.stdout and any("control character" in w for w in model["warnings"])


def test_a_larger_limit_reads_a_larger_text(write_plan):
    text = "第一章 推进乡村振兴\n\n" + "稳定粮食生产，严守耕地红线。\n" * 40_000
    plan = write_plan(text)
    assert invoke("extract", str(plan), "--max-size", "0.5").exit_code == 2
    assert invoke("extract", str(plan), "--max-size", "5").exit_code == 0


def test_jieba_caches_in_the_user_s_own_folder(tmp_path, monkeypatch):
    from kg.analyse.nlp import cache_dir

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "plankg" and (tmp_path / "plankg").is_dir()


def test_debug_shows_the_traceback(tmp_path):
    result = invoke("--debug", "extract", str(tmp_path / "missing.txt"))
    assert isinstance(result.exception, InputError)
    quiet = invoke("extract", str(tmp_path / "missing.txt"))
    assert not isinstance(quiet.exception, InputError)


def test_a_failed_build_leaves_earlier_output_intact(tmp_path, write_plan):
    out = tmp_path / "build"
    assert invoke("build", "--out", str(out), "--id", "p").exit_code == 0
    before = (out / "p.json").read_bytes()
    bad = write_plan("no plan here\n", name="bad.txt")
    assert invoke("build", str(bad), "--out", str(out), "--id", "p").exit_code == 2
    assert (out / "p.json").read_bytes() == before
    # No temp file (the build lock is a hidden file of its own; the store a link to its version).
    assert sorted(f.name for f in out.iterdir() if f.name != ".plankg-build.lock") == [
        "p.html",
        "p.json",
        "p.ttl",
        "reference.ttl",
        "store",
        "store-1",
    ]


def test_every_command_has_help_with_an_example():
    for command in ("extract", "build", "validate", "query", "viz", "report", "push", "serve"):
        result = invoke(command, "--help")
        assert result.exit_code == 0 and "Example" in result.output


def test_build_without_analysis_skips_the_alignment(tmp_path, write_plan):
    plan = write_plan("第一章 推进乡村振兴\n\n稳定粮食生产。严守耕地红线，稳定粮食播种面积。\n")
    result = invoke("build", str(plan), "--out", str(tmp_path / "b"), "--no-analysis", "--no-html", "--no-store")
    assert result.exit_code == 0, result.output
    assert re.search(r"pk:Alignment\s*│\s*0", result.stdout)
    assert sorted(p.name for p in (tmp_path / "b").iterdir() if not p.name.startswith(".")) == [
        "plan.json",
        "plan.ttl",
        "reference.ttl",
    ]


def test_debug_is_accepted_after_the_command(tmp_path):
    import subprocess
    import sys

    missing = str(tmp_path / "missing.txt")
    loud = subprocess.run([sys.executable, "-m", "kg", "extract", missing, "--debug"], capture_output=True, text=True)
    assert loud.returncode != 0 and "Traceback" in loud.stderr and "No such option" not in loud.stderr
    quiet = subprocess.run([sys.executable, "-m", "kg", "extract", missing], capture_output=True, text=True)
    assert quiet.returncode == 2 and "Traceback" not in quiet.stderr


def test_help_shows_what_to_type_not_python_types():
    for command in ("extract", "build", "validate", "query", "search", "viz", "report", "push", "serve"):
        result = invoke(command, "--help")
        assert result.exit_code == 0
        assert not re.search(r"<(bool|str|int|float|Path|list\[)", result.output), (command, result.output)
    assert "PATH" in invoke("build", "--help").output


def test_a_mistyped_command_gets_a_suggestion():
    result = invoke("quer")
    assert result.exit_code == 2 and "Did you mean 'query'?" in result.output
