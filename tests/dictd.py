"""Small dictionaries in dictd's format (FreeDict's, as Debian installs them), written by the tests themselves."""

from __future__ import annotations

import gzip
from pathlib import Path

_BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def base64_number(value: int) -> str:
    digits = ""
    while True:
        digits = _BASE64[value % 64] + digits
        value //= 64
        if not value:
            return digits


def write_dictd(folder: Path, name: str, entries: dict[str, list[str]]) -> Path:
    """``name``.index and ``name``.dict.dz in ``folder``: each entry a headword line (with a pronunciation, as
    FreeDict writes it) and its lines of translations."""
    folder.mkdir(parents=True, exist_ok=True)
    body = b""
    index = ["00databaseutf8\tA\tB"]
    for headword, lines in entries.items():
        entry = "\n".join([f"{headword} /ˈsomething/", *lines]).encode("utf-8") + b"\n"
        index.append(f"{headword}\t{base64_number(len(body))}\t{base64_number(len(entry))}")
        body += entry
    (folder / f"{name}.index").write_text("\n".join(index) + "\n", encoding="utf-8")
    with gzip.open(folder / f"{name}.dict.dz", "wb") as compressed:
        compressed.write(body)
    return folder
