"""Stage 0: a path (or bytes) to plan text, with errors that name the fix."""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kg.errors import InputError

BUNDLED_PLAN = "bayannur-14th-fyp.txt"


@dataclass(frozen=True)
class SourceText:
    """Decoded text plus what we need to cite it: where it came from and its checksum."""

    text: str
    name: str  # file name, used for the default plan id
    sha256: str
    encoding: str


def bundled_plan_path() -> Path:
    """The plan shipped inside the package (the default input)."""
    return Path(str(resources.files("kg") / "corpus" / BUNDLED_PLAN))


def bundled_plans() -> dict[str, Path]:
    """Every plan shipped inside the package, by plan id (kg/corpus/README.md says where
    each comes from)."""
    folder = resources.files("kg") / "corpus"
    return {
        Path(r.name).stem: Path(str(r))
        for r in sorted(folder.iterdir(), key=lambda r: r.name)
        if r.name.endswith(".txt")
    }


def decode(data: bytes, name: str, encoding: str = "utf-8") -> SourceText:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}", "use a Python codec name such as utf-8 or gb18030") from None
    wide = codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))
    if not wide and data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(f"{name} is UTF-16 text (it opens with a byte-order mark)", "try --encoding utf-16")
    if not wide and b"\x00" in data[:8192]:
        raise InputError(
            f"{name} looks like a binary file, not a text dump",
            "convert the PDF to text first, e.g. pdftotext plan.pdf plan.txt",
        )
    if data.startswith(codecs.BOM_UTF8) and encoding.replace("-", "").lower() == "utf8":
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        hint = "try --encoding gb18030" if encoding.lower().startswith("utf") else "try --encoding utf-8"
        raise InputError(
            f"{name} is not valid {encoding} (byte {err.start}: {data[err.start : err.start + 4]!r})", hint
        ) from None
    if not text.strip():
        raise InputError(f"{name} is empty", "give a plan text with its headings (第一章 …)")
    return SourceText(text=text, name=name, sha256=hashlib.sha256(data).hexdigest(), encoding=encoding)


def read_source(path: str | Path | None = None, encoding: str = "utf-8") -> SourceText:
    """Read a plan file; ``None`` reads the bundled plan."""
    p = bundled_plan_path() if path is None else Path(path)
    if not p.exists():
        raise InputError(f"no such file: {p}", "check the path, or omit it to use the bundled plan")
    if p.is_dir():
        raise InputError(f"{p} is a directory, not a plan text", "give the path of a .txt file")
    try:
        data = p.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read {p}: {err.strerror}", "check the file's permissions") from None
    return decode(data, p.name, encoding)
