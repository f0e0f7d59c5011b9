"""The keystore: what a build needs to write reader keyrings, and nothing more.

It holds, per reader, the KDF salt and iteration count and the derived key-encryption
key (KEK). It never holds a passphrase, but a KEK opens that reader's keyrings, so the
file is a secret: written 0600, atomically, and kept outside docs_dir and outside git.

Format (JSON, version 1):
    {"v": 1, "id_key": b64u,
     "readers": {"<reader id>": {"salt": b64u, "iterations": int, "kek": b64u,
                                 "issued": "YYYY-MM-DDTHH:MM:SSZ"}},
     "revoked": {"<reader id>": "YYYY-MM-DDTHH:MM:SSZ"},     (optional)
     "demo": true}                                            (optional, `lchc-gen keys demo` only)
`id_key` is a random key from which each publication's opaque report ids are derived (see
opaque_id). A revoked reader keeps a record without key material, so that `issue` does not
hand them a new passphrase unasked. A demo keystore's passphrases are public: it is marked,
so that the build can say so and `keys demo` never replaces a real keystore. The build cache's
key is derived from `id_key` (access/cache.py), so a build never writes the keystore.
"""

from __future__ import annotations

import glob
import hashlib
import hmac
import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

from ..problems import InputError, Problem
from . import crypto
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
from .blobs import reader_key
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
    revoked: Mapping[str, str] = field(default_factory=dict)  # reader id -> when revoked
    demo: bool = False  # made by `lchc-gen keys demo`: every passphrase is public


@dataclass(frozen=True)
class ReaderInfo:
    """What `list_readers` shows: never the KEK."""

    reader_id: str
    iterations: int  # 0 for a revoked reader
    issued: str
    revoked: str = ""  # when, for a revoked reader


@dataclass(frozen=True)
class IssueResult:
    passphrases: Mapping[str, str]  # newly issued, also written to the hand-out file
    skipped: tuple[str, ...]  # already in the keystore; use reissue() to replace
    revoked: tuple[str, ...] = ()  # revoked and left so; issue(reinstate=True) to issue them


def new_keystore() -> Keystore:
    return Keystore(id_key=random_key())


def opaque_id(keystore: Keystore, publication: str, name: str, length: int = 16) -> str:
    """The opaque id of a protected page (from e.g. "2026-H2/t001") in one publication.

    Keyed, so that it cannot be computed from the name without the id key, and bound to the
    publication (its build id), so that ids change with every publication: a host's access
    log cannot follow one team's report from build to build.
    """
    message = crypto.bind("lchc-page-id", publication, name)
    return hmac.new(keystore.id_key, message, hashlib.sha256).hexdigest()[:length]


def publication_fingerprint(keystore: Keystore) -> str:
    """A hash of what a publication is made from (id key, readers' keys, revocations)."""
    h = hashlib.sha256(b"lchc-keystore\0" + keystore.id_key + (b"\0demo" if keystore.demo else b""))
    for rid, r in sorted(keystore.readers.items()):
        h.update(f"\0{rid}\0{b64u(r.salt)}\0{r.iterations}\0{b64u(r.kek)}\0{r.issued}".encode())
    for rid, when in sorted(keystore.revoked.items()):
        h.update(f"\0revoked\0{rid}\0{when}".encode())
    return h.hexdigest()


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
    path: Path,
    docs_dir: Path,
    repo_root: Path | None,
    *,
    site_dir: Path | None = None,
    what: str = "keystore",
) -> Problem | None:
    """A Problem if the secret file at `path` could be published or committed: inside
    docs_dir or site_dir (at any depth; symbolic links resolved), or inside a git work tree
    (repo_root, or the one holding the path) unless git ignores it. Use what="passphrase
    file" to check the hand-out file too."""
    target = path.expanduser().resolve()
    if _within(target, docs_dir.resolve()):
        return _problem(path, what, f"the {what} is inside docs_dir; move it outside the docs")
    if site_dir is not None and _within(target, site_dir.resolve()):
        # Served with the site if it survives the build; deleted by its clean step if not.
        return _problem(path, what, f"the {what} is inside site_dir ({site_dir}); move it outside the site")
    roots = {r for r in (repo_root.resolve() if repo_root else None, _work_tree(target)) if r}
    for root in sorted(roots):
        if _within(target, root):
            reason = _git_exposure(target, root)
            if reason:
                return _problem(path, what, f"the {what} {reason}")
    return None


def check_kdf_floor(keystore: Keystore, path: Path) -> Problem | None:
    """A Problem if any reader's key was derived with fewer iterations than the floor."""
    floor = crypto.MIN_ITERATIONS  # read at call time: the test suite lowers it for cheap test keys
    weak = sorted(rid for rid, r in keystore.readers.items() if r.iterations < floor)
    if not weak:
        return None
    shown = ", ".join(weak[:10]) + (f" and {len(weak) - 10} more" if len(weak) > 10 else "")
    return _problem(
        path,
        "keystore",
        f"{len(weak)} readers have keys derived with fewer than {floor:,} PBKDF2 iterations, too cheap "
        f"to withstand guessing: {shown}; give each a new passphrase (`lchc-gen keys reissue <reader id>`)",
    )


def check_git_history(keystore: Keystore, path: Path, repo_roots: Iterable[Path | None]) -> Problem | None:
    """A Problem if the git history of any of these work trees (or of the one holding the
    keystore) ever held this keystore's secrets: its id key or any reader's key, in any file,
    at any path, on any branch. Removing the file later does not take them out of clones.
    """
    target = path.expanduser().resolve()
    roots = {_work_tree(r.resolve(), include_self=True) if r is not None else None for r in repo_roots}
    roots.add(_work_tree(target))
    secrets = [b64u(keystore.id_key), *(b64u(r.kek) for r in keystore.readers.values())]
    for root in sorted(r for r in roots if r is not None):
        try:
            commit = _history_holds(root, secrets)
        except OSError:
            return _problem(path, "keystore", f"git is not available to check the history of {root}")
        if commit:
            return _problem(
                path,
                "keystore",
                f"the git history of {root} holds this keystore's keys (commit {commit}): anyone with a "
                "clone can read every report. Make a new keystore outside the repository, which gives "
                "every reader a new passphrase and a new id key: `lchc-gen keys issue --keystore "
                "<new path outside the repository>`, point the plugin's `keystore` or $LCHC_KEYSTORE at it, "
                "and hand out the new passphrases; then delete the old keystore",
            )
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
    doc: dict[str, object] = {
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
    if keystore.revoked:
        doc["revoked"] = dict(sorted(keystore.revoked.items()))
    if keystore.demo:
        doc["demo"] = True
    write_private(Path(path), (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode())


def issue(
    path: Path,
    reader_ids: Iterable[str],
    handout_path: Path,
    *,
    iterations: int = DEFAULT_ITERATIONS,
    progress: Progress | None = None,
    n_words: int = DEFAULT_WORDS,
    reinstate: bool = False,
) -> IssueResult:
    """Issue passphrases to readers not yet in the keystore (creating it if needed).

    Revoked readers are left out unless `reinstate`. The hand-out file is written before
    the keystore, so a failure never leaves keys in the keystore whose passphrases nobody has.
    """
    keystore = load_keystore(path) if Path(path).exists() else new_keystore()
    _refuse_demo(keystore, path)
    wanted = list(dict.fromkeys(_valid_id(r) for r in reader_ids))
    _refuse_case_twins([*keystore.readers, *keystore.revoked, *wanted])
    skipped = tuple(r for r in wanted if r in keystore.readers)
    revoked = tuple(r for r in wanted if r in keystore.revoked and not reinstate)
    fresh = [r for r in wanted if r not in keystore.readers and r not in revoked]
    keystore, passphrases = _issue_to(keystore, fresh, iterations, progress, n_words)
    if passphrases:
        _write_handout(Path(handout_path), passphrases)
        save_keystore(path, keystore)
    return IssueResult(passphrases=passphrases, skipped=skipped, revoked=revoked)


def reissue(
    path: Path,
    reader_id: str,
    handout_path: Path,
    *,
    iterations: int = DEFAULT_ITERATIONS,
    progress: Progress | None = None,
    n_words: int = DEFAULT_WORDS,
    reinstate: bool = False,
) -> str:
    """Give one reader a new passphrase (and salt); the old one stops working at the
    next build. A revoked reader only with `reinstate`."""
    keystore = load_keystore(path)
    _refuse_demo(keystore, path)
    if reader_id in keystore.revoked and not reinstate:
        raise AccessError(f"{reader_id!r} was revoked on {keystore.revoked[reader_id]}; pass --reinstate to give them a new passphrase")
    if reader_id not in keystore.readers and reader_id not in keystore.revoked:
        raise UnknownReader(f"no reader {reader_id!r} in the keystore")
    keystore, passphrases = _issue_to(keystore, [reader_id], iterations, progress, n_words)
    _write_handout(Path(handout_path), passphrases)
    save_keystore(path, keystore)
    return passphrases[reader_id]


def revoke(path: Path, reader_id: str) -> None:
    """Remove a reader's key; from the next build on they get no keyring at all. The reader
    stays on record as revoked, so that `issue` leaves them out."""
    keystore = load_keystore(path)
    if reader_id in keystore.revoked:
        raise AccessError(f"{reader_id!r} was already revoked on {keystore.revoked[reader_id]}")
    if reader_id not in keystore.readers:
        raise UnknownReader(f"no reader {reader_id!r} in the keystore")
    readers = {k: v for k, v in keystore.readers.items() if k != reader_id}
    revoked = {**keystore.revoked, reader_id: utc_stamp()}
    save_keystore(path, replace(keystore, readers=readers, revoked=revoked))


def rotate_id_key(path: Path) -> None:
    """A new id key: report ids from then on cannot be linked to team names by anyone who
    had the old one. Readers' keys are unchanged."""
    keystore = load_keystore(path)
    save_keystore(path, replace(keystore, id_key=random_key()))


def list_readers(path: Path) -> list[ReaderInfo]:
    keystore = load_keystore(path)
    infos = [ReaderInfo(rid, r.iterations, r.issued) for rid, r in keystore.readers.items()]
    infos += [ReaderInfo(rid, 0, "", revoked=when) for rid, when in keystore.revoked.items()]
    return sorted(infos, key=lambda r: r.reader_id)


# Temp files of write_private: `.<name>.<random>.lchc-tmp`, a name `.gitignore` covers (`*.lchc-tmp`).
TMP_SUFFIX = ".lchc-tmp"


def write_private(path: Path, data: bytes | Sequence[bytes]) -> None:
    """Atomic 0600 write: a temp file in the same folder (created 0600 by mkstemp), fsynced,
    then renamed over the target, so a crash leaves the old file or the new one. A process
    killed before the rename leaves its temp file (every key in it): 0600, beside the target,
    named as ignored by git, and removed by the next write."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    remove_stale_temp_files(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as out:
            for part in [data] if isinstance(data, bytes) else data:  # parts: a large file is not joined first
                out.write(part)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_stale_temp_files(path: Path) -> list[Path]:
    """Remove what earlier writes of `path` left when their process died (also the `.tmp`
    names of earlier versions); returns them."""
    name = glob.escape(path.name)
    stale = [*path.parent.glob(f".{name}.*{TMP_SUFFIX}"), *path.parent.glob(f".{name}.*.tmp")]
    for leftover in stale:
        leftover.unlink(missing_ok=True)
    return stale


def _issue_to(
    keystore: Keystore,
    reader_ids: list[str],
    iterations: int,
    progress: Progress | None,
    n_words: int,
) -> tuple[Keystore, dict[str, str]]:
    readers = dict(keystore.readers)
    passphrases: dict[str, str] = {}
    issued = utc_stamp()
    for done, rid in enumerate(reader_ids, start=1):
        passphrase = new_passphrase(n_words)
        salt = random_salt()
        kek = derive_kek(normalize_passphrase(passphrase), salt, iterations)
        readers[rid] = ReaderKey(salt=salt, iterations=iterations, kek=kek, issued=issued)
        passphrases[rid] = passphrase
        if progress:
            progress(done, len(reader_ids), rid)
    revoked = {k: v for k, v in keystore.revoked.items() if k not in passphrases}
    return replace(keystore, readers=readers, revoked=revoked), passphrases


def utc_stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _refuse_demo(keystore: Keystore, path: Path) -> None:
    if keystore.demo:
        raise AccessError(
            f"{path} is a demo keystore: its passphrases are published. Issue real passphrases into "
            "a new keystore (--keystore <another path>, or the plugin's `keystore` option)"
        )


def _write_handout(path: Path, passphrases: Mapping[str, str]) -> None:
    # Never overwrite: an earlier hand-out file may hold passphrases not yet delivered.
    if path.exists():
        raise AccessError(f"{path} already exists; hand it out and delete it first")
    lines = ["reader_id\tpassphrase", *(f"{rid}\t{p}" for rid, p in passphrases.items())]
    write_private(path, ("\n".join(lines) + "\n").encode("utf-8"))


def _refuse_case_twins(reader_ids: Iterable[str]) -> None:
    """Sign-in takes ids in any case (blobs.reader_key): two readers who differ only in case
    would share one keyring file."""
    seen: dict[str, str] = {}
    for rid in dict.fromkeys(reader_ids):
        other = seen.setdefault(reader_key(rid), rid)
        if other != rid:
            raise AccessError(f"reader ids {other!r} and {rid!r} differ only in case; sign-in cannot tell them apart")


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
    revoked = doc.get("revoked", {})
    if not isinstance(revoked, dict) or not all(isinstance(v, str) for v in revoked.values()):
        raise FormatError("revoked must map reader ids to dates")
    revoked = {_valid_id(rid): when for rid, when in revoked.items()}
    if set(revoked) & set(readers):
        raise FormatError("a reader is both revoked and holds a key")
    demo = doc.get("demo", False)
    if not isinstance(demo, bool):
        raise FormatError("demo must be true or false")
    return Keystore(id_key=id_key, readers=readers, revoked=revoked, demo=demo)


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _work_tree(path: Path, include_self: bool = False) -> Path | None:
    for folder in [*([path] if include_self else []), *path.parents]:
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


# A 32-byte key in base64url: 43 characters, not part of a longer run of such characters.
_KEY_TOKEN = re.compile(rb"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])")


def _history_holds(root: Path, secrets: list[str]) -> str | None:
    """The first commit found, on any ref, whose changes add or remove a line holding one of
    these base64url keys. One pass over every commit's diff, each key-shaped word looked up in
    a set: a regular expression of thousands of alternatives (`git log -G`) took minutes."""
    wanted = {s.encode("ascii") for s in secrets}
    command = ["git", "-C", str(root), "log", "--all", "-p", "--unified=0", "--no-color",
               "--no-ext-diff", "--no-textconv", "--format=commit %h"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as proc:
        assert proc.stdout is not None
        commit = ""
        for line in proc.stdout:
            if line.startswith(b"commit "):
                commit = line[7:].strip().decode("ascii", "replace")
            elif line[:1] in (b"+", b"-") and any(m in wanted for m in _KEY_TOKEN.findall(line)):
                proc.kill()
                return commit
    return None


def _git(root: Path, *args: str) -> int:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False).returncode


def _problem(path: Path, field_name: str, message: str) -> Problem:
    return Problem(path=str(path), line=0, field=field_name, message=message)


def _input_error(path: Path, field_name: str, message: str) -> InputError:
    return InputError([_problem(path, field_name, message)])
