"""Shared helpers of the clean stage's tests (hand-written fixtures only)."""

from __future__ import annotations

from pathlib import Path

from newsarchive.clean import CleanConfig, clean_text

FIXTURES = Path(__file__).parent / "fixtures" / "clean"
CONFIG = CleanConfig()


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def clean(page_text: str, templates=None, config: CleanConfig = CONFIG):
    return clean_text(page_text, templates=templates, config=config)
