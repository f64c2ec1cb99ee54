"""Stage 0: a path (or bytes) to plan text, with errors that name the fix."""

from __future__ import annotations

import codecs
import hashlib
import re
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
    warnings: tuple[str, ...] = ()  # what reading changed (control characters removed)


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


# The largest plan text read without asking: the real plans are under 0.5 MB, and a build
# needs about 0.2 GB plus 0.45 GB per MB of text (bench/bench_extract.py measures it), so
# 4 MB stay under 2 GB.
MAX_MB = 4.0
# Characters that are no text: C0 and C1 controls but tab, line and page breaks.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# A text whose first part is more than this share controls is a binary file.
BINARY_SHARE = 0.01


def decode(data: bytes, name: str, encoding: str = "utf-8") -> SourceText:
    """Bytes to text: decoded first, then judged (a binary file, stray control characters)."""
    try:
        codec = codecs.lookup(encoding)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}", "use a Python codec name such as utf-8 or gb18030") from None
    wide = codec.name.startswith(("utf-16", "utf-32"))
    if not wide and data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(f"{name} is UTF-16 text (it opens with a byte-order mark)", "try --encoding utf-16")
    if data.startswith(codecs.BOM_UTF8) and encoding.replace("-", "").lower() == "utf8":
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        guess = None if wide else _utf16(data)
        if guess:
            raise InputError(
                f"{name} looks like UTF-16 text without a byte-order mark", f"try --encoding {guess}"
            ) from None
        if not wide and _looks_binary(data[:8192].decode("latin-1")):
            raise _binary(name) from None
        hint = "try --encoding gb18030" if encoding.lower().startswith("utf") else "try --encoding utf-8"
        raise InputError(
            f"{name} is not valid {encoding} (byte {err.start}: {data[err.start : err.start + 4]!r})", hint
        ) from None
    if _looks_binary(text[:8192]):
        guess = None if wide else _utf16(data)
        if guess:
            raise InputError(f"{name} looks like UTF-16 text without a byte-order mark", f"try --encoding {guess}")
        raise _binary(name)
    warnings: tuple[str, ...] = ()
    controls = len(_CONTROL.findall(text))
    if controls:
        text = _CONTROL.sub("", text)
        warnings = (f"{controls} control character(s) (NUL and the like) removed from the text",)
    if not text.strip():
        raise InputError(f"{name} is empty", "give a plan text with its headings (第一章 …)")
    return SourceText(
        text=text, name=name, sha256=hashlib.sha256(data).hexdigest(), encoding=encoding, warnings=warnings
    )


def _utf16(data: bytes) -> str | None:
    """'utf-16le' or 'utf-16be' if the start of ``data`` reads as such text: Chinese and
    punctuation, no control characters."""
    head = data[: 4096 - 4096 % 2]
    for codec in ("utf-16le", "utf-16be"):
        try:
            text = head.decode(codec)
        except UnicodeDecodeError:
            continue
        cjk = sum(
            1 for c in text if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
        )
        # A few bytes prove nothing: 8 bytes of anything often read as CJK characters.
        if len(text) >= 8 and cjk > 0.3 * len(text) and not _looks_binary(text):
            return codec
    return None


def _looks_binary(text: str) -> bool:
    return bool(text) and len(_CONTROL.findall(text)) > BINARY_SHARE * len(text)


def _binary(name: str) -> InputError:
    return InputError(
        f"{name} looks like a binary file, not a text dump",
        "convert the PDF to text first, e.g. pdftotext plan.pdf plan.txt",
    )


def read_source(path: str | Path | None = None, encoding: str = "utf-8", max_mb: float = MAX_MB) -> SourceText:
    """Read a plan file; ``None`` reads the bundled plan. A file over ``max_mb`` is refused
    (a build's memory grows with the text), as is anything but a regular file (a pipe
    would never end, a device would never stop)."""
    p = bundled_plan_path() if path is None else Path(path)
    if not p.exists():
        raise InputError(f"no such file: {p}", "check the path, or omit it to use the bundled plan")
    if p.is_dir():
        raise InputError(f"{p} is a directory, not a plan text", "give the path of a .txt file")
    if not p.is_file():
        raise InputError(f"{p} is not a regular file (a pipe, a device or a socket)", "give the path of a .txt file")
    try:
        size = p.stat().st_size
        if size > max_mb * 2**20:
            raise InputError(
                f"{p} is {size / 2**20:.0f} MB, over the {max_mb:g} MB a plan text is read up to",
                "check it is one plan's text; if so, raise the limit with --max-size",
            )
        with p.open("rb") as f:
            data = f.read(int(max_mb * 2**20) + 1)  # the file may grow while it is read
    except OSError as err:
        raise InputError(f"cannot read {p}: {err.strerror}", "check the file's permissions") from None
    if len(data) > max_mb * 2**20:
        raise InputError(f"{p} grew over {max_mb:g} MB while it was read", "give a finished plan text")
    return decode(data, p.name, encoding)
