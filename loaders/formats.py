"""Which loader reads a file: by the case file's word, or sniffed from the file itself."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from conductgraph.graph.errors import InputError, UnknownFormatError

from .chat import ChatRecord

CHAT_FORMATS = ("whatsapp", "messenger", "telegram")
SNIFF_BYTES = 64 * 1024


def _module(fmt: str) -> Any:
    return importlib.import_module(f"conductgraph.loaders.{fmt}")


def read_head(path: Path) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(SNIFF_BYTES)
    except OSError as exc:
        raise InputError(
            f"{path}: cannot read: {exc.strerror}", detail={"file": str(path)}
        ) from exc


def detect_format(path: Path) -> str:
    """The chat format of ``path``, or :class:`UnknownFormatError` naming the file."""
    head = read_head(path)
    if path.suffix.lower() == ".json":
        for fmt in ("messenger", "telegram"):
            if _module(fmt).sniff(path, head):
                return fmt
    text = head.decode("utf-8", errors="replace")
    if _module("whatsapp").sniff(text):
        return "whatsapp"
    raise UnknownFormatError(
        f"{path}: not a WhatsApp .txt, Messenger message_N.json or Telegram result.json export",
        detail={"file": str(path)},
    )


def parse_chat(fmt: str, path: Path, *, timezone: str, date_order: str | None = None,
               owner_names: list[str] | None = None) -> Iterator[ChatRecord]:
    """Stream the chat records of one export in ``fmt``."""
    if fmt not in CHAT_FORMATS:
        raise UnknownFormatError(f"{path}: unknown format {fmt!r}", detail={"file": str(path)})
    module = _module(fmt)
    if fmt == "whatsapp":
        # The owner's own messages carry their name; system lines say "You".
        return module.parse(  # type: ignore[no-any-return]
            path, timezone=timezone, date_order=date_order, owner_names=owner_names or ()
        )
    return module.parse(path, timezone=timezone)  # type: ignore[no-any-return]
