"""Where model artifacts live: ``var/models/`` under the project root, newest first."""

from __future__ import annotations

import zipfile
from pathlib import Path

__all__ = ["ARTIFACT_GLOB", "DATA_DIR", "default_model_dir", "default_model_path", "project_root"]

ARTIFACT_GLOB = "scam-model-*.skops"
DATA_DIR = Path(__file__).parent / "data"


def project_root() -> Path:
    """Return the project root (the folder holding the ``classifier`` package)."""
    return Path(__file__).resolve().parent.parent


def default_model_dir() -> Path:
    """Return the default artifact folder, ``<project root>/var/models``."""
    return project_root() / "var" / "models"


def default_model_path(model_dir: Path | None = None) -> Path | None:
    """Return the newest readable artifact in ``model_dir`` (default folder if None).

    Args:
        model_dir: Folder to look in; :func:`default_model_dir` when omitted.

    Returns:
        The path, or None when there is no valid artifact.
    """
    folder = model_dir or default_model_dir()
    if not folder.is_dir():
        return None
    candidates = sorted(folder.glob(ARTIFACT_GLOB), key=lambda p: p.stat().st_mtime, reverse=True)
    for path in candidates:
        if zipfile.is_zipfile(path):
            return path
    return None
