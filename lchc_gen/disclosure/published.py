"""Across publications: a group's figure is never published in two versions whose groups differ
by fewer than k people, or a reader who saw both would subtract them and learn those people's values.

What was published is kept in a record beside the keystore (a secret of the same kind: outside
docs_dir and site_dir, ignored by git, written 0600). Per figure it holds the members, each as a
keyed hash (HMAC with the record's own random key, bound to the figure: no id shows at a glance and
one figure's hashes cannot be matched with another's), the published value and its date. The key
is the record's own, not the keystore's, so that `keys rotate-id-key` does not make every group
look new.
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

from ..access.crypto import b64u, random_key, unb64u
from ..access.keystore import write_private
from ..problems import InputError, Problem

VERSION = 1


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
    def __init__(self, path: Path, key: bytes | None = None, figures: dict[str, Published] | None = None):
        self.path = path
        self._key = key or random_key()
        self.figures: dict[str, Published] = dict(figures or {})
        self.pending: dict[str, Published] = {}  # published by this build, saved when it is done

    @classmethod
    def load(cls, path: Path) -> "PublicationRecord":
        if not path.exists():
            return cls(path)
        try:
            doc = json.loads(path.read_bytes())
            if doc.get("v") != VERSION:
                raise ValueError(f"unknown version {doc.get('v')!r}")
            key = unb64u(doc["key"])
            figures = {
                name: Published(frozenset(f["members"]), dict(f["value"]), dt.date.fromisoformat(f["day"]))
                for name, f in doc["figures"].items()
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            message = f"cannot read the record of published figures: {exc}; restore it from a backup (deleting it lets the next build publish figures that differ from earlier ones by a single person)"
            raise InputError([Problem(str(path), 0, "publication record", message)]) from None
        return cls(path, key, figures)

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
            "key": b64u(self._key),
            "figures": {
                name: {"members": sorted(f.members), "value": f.value, "day": f.day.isoformat()}
                for name, f in sorted(self.figures.items())
            },
        }
        write_private(self.path, (json.dumps(doc, indent=1) + "\n").encode())
