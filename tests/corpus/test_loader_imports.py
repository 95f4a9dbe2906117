"""Every loader imports in a fresh interpreter: a dependency that is only inherited (and so can be missing) shows."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import assistant.corpus.loaders as loaders

LOADER_MODULES = sorted(f"{loaders.__name__}.{m.name}" for m in pkgutil.iter_modules(loaders.__path__))


def test_there_is_a_loader_for_every_format() -> None:
    assert {"markdown", "plaintext", "html", "docx"} <= {name.rsplit(".", 1)[1] for name in LOADER_MODULES}


@pytest.mark.parametrize("module", LOADER_MODULES)
def test_loader_imports_in_a_fresh_interpreter(module: str) -> None:
    # A fresh process: in this one, another test may already have imported what the loader forgets to declare.
    result = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
