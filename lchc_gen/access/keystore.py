"""The keystore: what a build needs to write reader keyrings, and nothing more.

It holds, per reader, the KDF salt and iteration count and the derived key-encryption
key (KEK). It never holds a passphrase, but a KEK opens that reader's keyrings, so the
file is a secret: written 0600, atomically, and kept outside docs_dir and outside git.

Format (JSON, version 1):
    {"v": 1, "id_key": b64u,
     "readers": {"<reader id>": {"salt": b64u, "iterations": int, "kek": b64u,
                                 "issued": "YYYY-MM-DDTHH:MM:SSZ"}}}
`id_key` is a random key for stable, unguessable opaque page ids (see opaque_id).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import tempfile
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Mapping

from ..problems import InputError, Problem
from .crypto import (
    DEFAULT_ITERATIONS,
    KEY_BYTES,
    b64u,
    derive_kek,
    normalize_passphrase,
    random_key,
    random_salt,
    unb64u,
)
from .errors import AccessError, FormatError, UnknownReader
from .passphrase import DEFAULT_WORDS, new_passphrase

VERSION = 1
ENV_VAR = "LCHC_KEYSTORE"
Progress = Callable[[int, int, str], None]  # (done, total, reader id), after each KDF


@dataclass(frozen=True)
class ReaderKey:
    salt: bytes
    iterations: int
    kek: bytes
    issued: str


@dataclass(frozen=True)
class Keystore:
    id_key: bytes
    readers: Mapping[str, ReaderKey] = field(default_factory=dict)


@dataclass(frozen=True)
class ReaderInfo:
    """What `list_readers` shows: never the KEK."""

    reader_id: str
    iterations: int
    issued: str


@dataclass(frozen=True)
class IssueResult:
    passphrases: Mapping[str, str]  # newly issued, also written to the hand-out file
    skipped: tuple[str, ...]  # already in the keystore; use reissue() to replace


def new_keystore() -> Keystore:
    return Keystore(id_key=random_key())


def opaque_id(keystore: Keystore, name: str, length: int = 16) -> str:
    """A stable opaque id for a protected page (e.g. from its team id): the same every
    build, so bookmarks keep working, yet not guessable from the name without the key."""
    return hmac.new(keystore.id_key, name.encode("utf-8"), hashlib.sha256).hexdigest()[:length]


def resolve_keystore_path(
    config_value: str | None, env: Mapping[str, str], relative_to: Path | None = None
) -> Path | None:
    """The keystore path: $LCHC_KEYSTORE wins over the plugin config; a relative
    config value is taken relative to `relative_to` (the mkdocs.yml folder)."""
    raw = env.get(ENV_VAR) or config_value
    if not raw:
        return None
    path = Path(raw).expanduser()
    if not path.is_absolute() and relative_to is not None and not env.get(ENV_VAR):
        path = relative_to / path
    return path


def check_keystore_location(
    path: Path, docs_dir: Path, repo_root: Path | None, *, what: str = "keystore"
) -> Problem | None:
    """A Problem if the secret file at `path` could be published or committed: inside
    docs_dir, or inside a git work tree (repo_root, or the one holding the path) unless
    git ignores it. Use what="passphrase file" to check the hand-out file too."""
    target = path.expanduser().resolve()
    if _within(target, docs_dir.resolve()):
        return _problem(path, what, f"the {what} is inside docs_dir; move it outside the docs")
    roots = {r for r in (repo_root.resolve() if repo_root else None, _work_tree(target)) if r}
    for root in sorted(roots):
        if _within(target, root):
            reason = _git_exposure(target, root)
            if reason:
                return _problem(path, what, f"the {what} {reason}")
    return None


def load_keystore(path: Path) -> Keystore:
    """Read and validate a keystore; every defect is reported as an InputError."""
    try:
        doc = json.loads(Path(path).read_bytes())
    except FileNotFoundError:
        raise _input_error(path, "keystore", "no keystore at this path (run `lchc-gen keys`)") from None
    except (OSError, ValueError) as exc:
        raise _input_error(path, "keystore", f"cannot read the keystore: {exc}") from None
    try:
        return _parse(doc)
    except (FormatError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _input_error(path, "keystore", f"malformed keystore: {exc}") from None


def save_keystore(path: Path, keystore: Keystore) -> None:
    doc = {
        "v": VERSION,
        "id_key": b64u(keystore.id_key),
        "readers": {
            rid: {
                "salt": b64u(r.salt),
                "iterations": r.iterations,
                "kek": b64u(r.kek),
                "issued": r.issued,
            }
            for rid, r in sorted(keystore.readers.items())
        },
    }
    write_private(Path(path), (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode())


def issue(
    path: Path,
    reader_ids: Iterable[str],
    handout_path: Path,
    *,
    iterations: int = DEFAULT_ITERATIONS,
    progress: Progress | None = None,
    n_words: int = DEFAULT_WORDS,
) -> IssueResult:
    """Issue passphrases to readers not yet in the keystore (creating it if needed).

    The hand-out file is written before the keystore, so a failure never leaves
    keys in the keystore whose passphrases nobody has.
    """
    keystore = load_keystore(path) if Path(path).exists() else new_keystore()
    wanted = list(dict.fromkeys(_valid_id(r) for r in reader_ids))
    skipped = tuple(r for r in wanted if r in keystore.readers)
    fresh = [r for r in wanted if r not in keystore.readers]
    keystore, passphrases = _issue_to(keystore, fresh, iterations, progress, n_words)
    if passphrases:
        _write_handout(Path(handout_path), passphrases)
        save_keystore(path, keystore)
    return IssueResult(passphrases=passphrases, skipped=skipped)


def reissue(
    path: Path,
    reader_id: str,
    handout_path: Path,
    *,
    iterations: int = DEFAULT_ITERATIONS,
    progress: Progress | None = None,
    n_words: int = DEFAULT_WORDS,
) -> str:
    """Give one reader a new passphrase (and salt); the old one stops working at the
    next build."""
    keystore = load_keystore(path)
    if reader_id not in keystore.readers:
        raise UnknownReader(f"no reader {reader_id!r} in the keystore")
    keystore, passphrases = _issue_to(keystore, [reader_id], iterations, progress, n_words)
    _write_handout(Path(handout_path), passphrases)
    save_keystore(path, keystore)
    return passphrases[reader_id]


def revoke(path: Path, reader_id: str) -> None:
    """Remove a reader; from the next build on they get no keyring at all."""
    keystore = load_keystore(path)
    if reader_id not in keystore.readers:
        raise UnknownReader(f"no reader {reader_id!r} in the keystore")
    readers = {k: v for k, v in keystore.readers.items() if k != reader_id}
    save_keystore(path, replace(keystore, readers=readers))


def list_readers(path: Path) -> list[ReaderInfo]:
    keystore = load_keystore(path)
    return [ReaderInfo(rid, r.iterations, r.issued) for rid, r in sorted(keystore.readers.items())]


def write_private(path: Path, data: bytes) -> None:
    """Atomic 0600 write: a temp file in the same folder (created 0600 by mkstemp),
    fsynced, then renamed over the target, so a crash leaves the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _issue_to(
    keystore: Keystore,
    reader_ids: list[str],
    iterations: int,
    progress: Progress | None,
    n_words: int,
) -> tuple[Keystore, dict[str, str]]:
    readers = dict(keystore.readers)
    passphrases: dict[str, str] = {}
    issued = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    for done, rid in enumerate(reader_ids, start=1):
        passphrase = new_passphrase(n_words)
        salt = random_salt()
        kek = derive_kek(normalize_passphrase(passphrase), salt, iterations)
        readers[rid] = ReaderKey(salt=salt, iterations=iterations, kek=kek, issued=issued)
        passphrases[rid] = passphrase
        if progress:
            progress(done, len(reader_ids), rid)
    return replace(keystore, readers=readers), passphrases


def _write_handout(path: Path, passphrases: Mapping[str, str]) -> None:
    # Never overwrite: an earlier hand-out file may hold passphrases not yet delivered.
    if path.exists():
        raise AccessError(f"{path} already exists; hand it out and delete it first")
    lines = ["reader_id\tpassphrase", *(f"{rid}\t{p}" for rid, p in passphrases.items())]
    write_private(path, ("\n".join(lines) + "\n").encode("utf-8"))


def _valid_id(reader_id: str) -> str:
    # The browser trims what the reader types, and NUL/tab would break the
    # additional data and the hand-out file.
    if (
        not isinstance(reader_id, str)
        or not reader_id
        or reader_id != reader_id.strip()
        or any(ord(c) < 32 or ord(c) == 127 for c in reader_id)
    ):
        raise ValueError(f"invalid reader id {reader_id!r}")
    return reader_id


def _parse(doc: object) -> Keystore:
    if not isinstance(doc, dict) or doc.get("v") != VERSION:
        raise FormatError("unsupported keystore version")
    readers = {}
    for rid, r in doc["readers"].items():
        key = ReaderKey(
            salt=unb64u(r["salt"]),
            iterations=r["iterations"],
            kek=unb64u(r["kek"]),
            issued=r["issued"],
        )
        if len(key.kek) != KEY_BYTES or not isinstance(key.iterations, int) or key.iterations < 1:
            raise FormatError(f"reader {rid!r} has a bad key or iteration count")
        readers[_valid_id(rid)] = key
    id_key = unb64u(doc["id_key"])
    if len(id_key) != KEY_BYTES:
        raise FormatError("id_key has the wrong length")
    return Keystore(id_key=id_key, readers=readers)


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _work_tree(path: Path) -> Path | None:
    for folder in path.parents:
        if (folder / ".git").exists():
            return folder
    return None


def _git_exposure(target: Path, root: Path) -> str | None:
    rel = str(target.relative_to(root))
    try:
        tracked = _git(root, "ls-files", "--error-unmatch", "--", rel)
        if tracked == 0:
            return f"is tracked by git in {root}; remove it from the repository"
        ignored = _git(root, "check-ignore", "-q", "--", rel)
    except OSError:
        return f"is inside the git work tree {root} and git is not available to check it"
    if ignored == 0:
        return None
    if ignored == 1:
        return f"is inside the git work tree {root} and not ignored; add it to .gitignore"
    return f"is inside the git work tree {root} and git could not check it"


def _git(root: Path, *args: str) -> int:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False).returncode


def _problem(path: Path, field_name: str, message: str) -> Problem:
    return Problem(path=str(path), line=0, field=field_name, message=message)


def _input_error(path: Path, field_name: str, message: str) -> InputError:
    return InputError([_problem(path, field_name, message)])
