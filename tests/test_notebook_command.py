"""plankg notebook: the notebooks copied beside a build, once, and JupyterLab started on
them by the Python that has plankg."""

from __future__ import annotations

import sys

import pytest
from typer.testing import CliRunner

from kg.errors import DataError, PlanError
from kg.shells import notebook
from kg.shells.cli import app


def test_the_notebooks_are_copied_once_and_edits_kept(bundled_build):
    data = bundled_build[1]
    first = notebook.prepare(data, plan="bayannur-14th-fyp", port=9999, browser=False)
    assert first.folder == data.resolve() / "notebooks"
    assert {"alignment.ipynb", "compare.ipynb"} <= {p.name for p in first.folder.iterdir()}
    edited = first.folder / "alignment.ipynb"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Alignment", "My alignment"), encoding="utf-8")
    again = notebook.prepare(data)
    assert again.copied == () and "My alignment" in edited.read_text(encoding="utf-8")
    # JupyterLab from this Python (its kernel has plankg), told which build and plan to read.
    assert first.argv[:3] == (sys.executable, "-m", "jupyterlab")
    assert "--no-browser" in first.argv and "--ServerApp.port=9999" in first.argv
    assert first.env == {"PLANKG_DATA": str(data.resolve()), "PLANKG_PLAN": "bayannur-14th-fyp"}


def test_no_build_is_told_in_one_line(tmp_path):
    with pytest.raises(DataError, match="no build in"):
        notebook.prepare(tmp_path)


def test_without_jupyterlab_it_says_how_to_install_it(bundled_build, monkeypatch):
    monkeypatch.setattr(notebook, "jupyterlab_installed", lambda: False)
    with pytest.raises(PlanError, match="JupyterLab is not installed"):
        notebook.start(notebook.prepare(bundled_build[1]))
    result = CliRunner().invoke(app, ["notebook", "--data", str(bundled_build[1]), "--no-browser"])
    assert result.exit_code == 2
    assert "pip install 'plankg[notebook]'" in result.output  # brackets of a message are not markup
