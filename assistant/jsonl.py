"""Read JSON Lines files (batches of conversations, the gold set), with errors that name the line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from assistant.errors import BadInputError


def read_jsonl(path: Path) -> Iterator[tuple[int, object]]:
    """Yield ``(line number, decoded value)`` for each non-blank line; ``BadInputError`` for unreadable ones."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise BadInputError(path, f"cannot read it ({error})") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as error:
            raise BadInputError(path, f"line {number} is not JSON ({error.msg})") from None
