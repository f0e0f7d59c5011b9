"""Across publications: a group's figure is never published in two versions whose groups differ
by fewer than k people, or a reader who saw both would subtract them and learn those people's values.

What was published is kept in a record beside the keystore (a secret of the same kind: outside
docs_dir and site_dir, ignored by git, written 0600). Per figure it holds the members, each as a
keyed hash (HMAC with a key derived from the keystore's id key, so the file alone names nobody and
the hashes of one figure cannot be matched with another's), the published value and its date.
A group that differs from the last published one by 1 to k-1 people keeps the last published value
"as of" its date; from k people on, the new value is published and recorded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..access.keystore import write_private
from ..problems import InputError, Problem

VERSION = 1
_LABEL = b"lchc-publication-record"


def record_path(keystore_path: Path) -> Path:
    """Beside the keystore: `<name>.published.json` (e.g. keystore.published.json)."""
    name = keystore_path.name
    stem = name[: -len(".json")] if name.endswith(".json") else name
    return keystore_path.with_name(f"{stem}.published.json")


@dataclass(frozen=True)
class Published:
    members: frozenset[str]  # keyed hashes of the members' ids
    value: dict[str, Any]  # what was shown, as JSON values
    day: dt.date


class PublicationRecord:
    def __init__(self, path: Path, id_key: bytes, figures: dict[str, Published] | None = None):
        self.path = path
        self._key = hmac.new(id_key, _LABEL, hashlib.sha256).digest()
        self.figures: dict[str, Published] = dict(figures or {})
        self.pending: dict[str, Published] = {}  # published by this build, saved when it is done

    @classmethod
    def load(cls, path: Path, id_key: bytes) -> "PublicationRecord":
        if not path.exists():
            return cls(path, id_key)
        try:
            doc = json.loads(path.read_bytes())
            if doc.get("v") != VERSION:
                raise ValueError(f"unknown version {doc.get('v')!r}")
            figures = {
                name: Published(frozenset(f["members"]), dict(f["value"]), dt.date.fromisoformat(f["day"]))
                for name, f in doc["figures"].items()
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            message = f"cannot read the record of published figures: {exc}; restore it from a backup (deleting it lets the next build publish figures that differ from earlier ones by a single person)"
            raise InputError([Problem(str(path), 0, "publication record", message)]) from None
        return cls(path, id_key, figures)

    def _token(self, figure: str, member: str) -> str:
        return hmac.new(self._key, f"{figure}\0{member}".encode(), hashlib.sha256).hexdigest()[:20]

    def settle(
        self, figure: str, members: Iterable[str], value: dict[str, Any], today: dt.date, k: int
    ) -> tuple[dict[str, Any], dt.date | None]:
        """The value to publish for this group: the new one (recorded once the build is done), or
        the last published one and its date when the groups differ by 1 to k-1 people."""
        tokens = frozenset(self._token(figure, m) for m in members)
        last = self.figures.get(figure)
        if last is not None and 0 < len(tokens ^ last.members) < k:
            return last.value, last.day
        if last is None or tokens != last.members or value != last.value:
            self.pending[figure] = Published(tokens, value, today)
        return value, None

    def save(self) -> None:
        """Write what this build published (after it has been written to the site)."""
        if not self.pending:
            return
        self.figures.update(self.pending)
        self.pending = {}
        doc = {
            "v": VERSION,
            "figures": {
                name: {"members": sorted(f.members), "value": f.value, "day": f.day.isoformat()}
                for name, f in sorted(self.figures.items())
            },
        }
        write_private(self.path, (json.dumps(doc, indent=1) + "\n").encode())
