"""`lchc-gen build -- <command>`: the site built by another generator (Zensical, or MkDocs
without the plugin), with the same pages and the same output step as the MkDocs plugin.

1. Read mkdocs.yml (the core's own reader: no MkDocs) and load and check every input with
   the core the MkDocs plugin runs too (``site.core.Site``), so a bad input stops here, before
   the docs tree or the site is touched, with every problem as file:line.
2. Write the generated pages, assets and the "My reports" page into docs_dir, at the paths
   the MkDocs plugin gives them (so every URL is the same), recording each with the hash of its
   bytes in a manifest beside mkdocs.yml; refuse to replace a file that is not ours, and to write
   through a symbolic link anywhere on a generated path.
3. Run the generator's command.
4. The output step (`Site.finish_built`, `site/output.finish_site`): heads, encrypted files, search
   index, sitemap, the record of what was published.
5. Remove the generated files from docs_dir again, whatever happened (a killed run's, at the
   start of the next): only those it can prove are its own, inside docs_dir, reached through
   no link, with the bytes it wrote; anything else stays, with a warning saying why.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
from pathlib import Path, PurePosixPath
from typing import Mapping, Sequence

import jinja2

from .problems import InputError
from .site.config import read_site
from .site.core import Site, SiteError
from .site.output import link_on_path
from .site.theme import ThemeError, theme_scripts

MANIFEST = ".lchc-generated.json"  # beside mkdocs.yml: the files step 2 wrote, for step 5


class BuildError(Exception):
    """The build stopped; the message says why (every input problem with its file and line)."""


class _Warnings(logging.Handler):
    """Prints the core's log lines and counts its warnings (for --strict)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            self.count += 1
            print(f"warning: {record.getMessage()}", flush=True)
        else:
            print(record.getMessage(), flush=True)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _relative_parts(name: str) -> tuple[str, ...] | None:
    """The parts of a manifest entry if it is a plain path below docs_dir, else None."""
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or any(p in ("..", ".", "") or "\\" in p for p in path.parts):
        return None
    return path.parts


def _not_ours(docs: Path, name: str, digest: str) -> str | None:
    """Why the file the manifest lists as `name` may not be removed ("" if it is gone); None if
    it is provably the file this command wrote: inside docs_dir, reached through no symbolic
    link, a regular file with the bytes it wrote."""
    parts = _relative_parts(name)
    if parts is None:
        return f"the manifest names a path outside docs_dir ({name})"
    path = docs.joinpath(*parts)
    link = link_on_path(docs, parts)
    if link is not None:
        return f"{link} is a symbolic link"
    if not os.path.lexists(path):
        return ""
    if not path.is_file() or not path.resolve().is_relative_to(docs.resolve()):
        return "not a regular file inside docs_dir"
    if _digest(path.read_bytes()) != digest:
        return "it changed since lchc-gen build wrote it; move it elsewhere if you want to keep it, or delete it"
    return None


def _remove_generated(root: Path, docs: Path) -> None:
    """Delete what the manifest lists and this command provably wrote, and the folders it made
    that are empty now; warn about every listed file it leaves in place."""
    manifest = root / MANIFEST
    if not os.path.lexists(manifest):
        return
    try:
        if manifest.is_symlink():
            raise ValueError("it is a symbolic link")
        listed = json.loads(manifest.read_text(encoding="utf-8"))
        files, folders = listed["files"], listed.get("folders", [])
        if not isinstance(files, Mapping) or not isinstance(folders, list):
            raise ValueError("it lists no hash of its files")
        written = Path(str(listed["docs_dir"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"warning: {manifest}: not a manifest of this version ({exc}): nothing it lists was removed", flush=True)
        manifest.unlink()
        return
    if written != docs.resolve():
        print(
            f"warning: {manifest} lists files in {written}, but this build's docs_dir is {docs.resolve()}: "
            "none of them was removed",
            flush=True,
        )
        manifest.unlink()
        return
    for name, digest in files.items():
        reason = _not_ours(docs, str(name), str(digest))
        if reason is None:
            docs.joinpath(name).unlink()
        elif reason:
            print(f"warning: {docs / str(name)}: left in place: {reason}", flush=True)
    for name in sorted(map(str, folders), key=lambda f: -len(PurePosixPath(f).parts)):
        parts = _relative_parts(name)
        folder = docs.joinpath(*parts) if parts else None
        if folder is not None and link_on_path(docs, parts) is None and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    manifest.unlink()


def _plan(docs: Path, files: Mapping[str, bytes | str]) -> list[str]:
    """The folders writing `files` into docs_dir would make (parents first). Refuses before
    anything is written: a symbolic link anywhere on a generated path (it would send the page
    elsewhere), and any file already there (it is not ours)."""
    links = sorted({str(link) for rel in files if (link := link_on_path(docs, PurePosixPath(rel).parts)) is not None})
    if links:
        raise BuildError(
            f"these generated paths go through a symbolic link, and lchc-gen build writes nothing through a link: "
            f"{', '.join(links)}; remove or rename the links, or set the plugin's `prefix`"
        )
    clashes = sorted(rel for rel in files if os.path.lexists(docs / rel))
    if clashes:
        raise BuildError(f"these generated files would replace files in {docs}: {', '.join(clashes)}")
    folders = {p.as_posix() for rel in files for p in PurePosixPath(rel).parents if p.parts and not (docs / p).exists()}
    return sorted(folders, key=lambda f: (len(PurePosixPath(f).parts), f))


def _write(docs: Path, files: Mapping[str, bytes | str], folders: Sequence[str]) -> None:
    """Write the generated files; never through a link, never over a file (O_EXCL, O_NOFOLLOW)."""
    for folder in folders:
        (docs / folder).mkdir()
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for rel, content in files.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        with os.fdopen(os.open(docs / rel, flags, 0o644), "wb") as out:
            out.write(data)


def build(config_file: Path, command: Sequence[str], *, strict: bool = False) -> int:
    """Run the whole build; returns the generator's exit status (0 when all went well)."""
    if not command:
        raise BuildError("give the generator's command after `--`, e.g. `lchc-gen build -- zensical build`")
    root = config_file.resolve().parent
    handler = _Warnings()
    logger = logging.getLogger("lchc_gen.build")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        try:
            config, options = read_site(config_file, strict=strict)
        except InputError as exc:
            raise BuildError(exc.report()) from None
        docs = config.docs_dir
        _remove_generated(root, docs)  # what a run that was killed left behind
        if options.reports_plaintext_preview:
            raise BuildError(
                f"{config_file}: reports_plaintext_preview works only inside MkDocs (the report pages are filled in "
                "while MkDocs renders them); `lchc-gen build` publishes reports encrypted or not at all"
            )
        site = Site(logger)
        site.start(serving=False)
        try:
            styles, scripts = site.configure(config, options)
            site.build()
        except SiteError as exc:  # every problem, file and line
            raise BuildError(str(exc)) from None
        if strict and handler.count:
            raise BuildError(f"{handler.count} warnings with --strict: nothing was written")
        files: dict[str, bytes | str] = {g.path: g.content for g in site.generated} | site.assets
        folders = _plan(docs, files)
        hashes = {rel: _digest(c if isinstance(c, bytes) else c.encode("utf-8")) for rel, c in sorted(files.items())}
        manifest = {"docs_dir": str(docs.resolve()), "files": hashes, "folders": folders}
        with os.fdopen(os.open(root / MANIFEST, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644), "w") as out:
            json.dump(manifest, out, indent=1)
        try:
            _write(docs, files, folders)
            print(f"lchc-gen: wrote {len(files)} generated files into {docs}; running: {' '.join(command)}", flush=True)
            status = subprocess.run(list(command), cwd=root).returncode
            if status != 0:
                print(f"lchc-gen: the generator failed (exit status {status}); {config.site_dir} was not finished", flush=True)
                return status
            try:
                done = site.finish_built(theme_scripts(config, command), styles, scripts)
            except (ValueError, jinja2.TemplateError, ThemeError) as exc:
                raise BuildError(str(exc)) from None
            print(
                f"lchc-gen: finished {done['pages']} pages in {config.site_dir}: {done['encrypted']} encrypted files, "
                f"{done['stale']} left by an earlier build removed, {done['scrubbed']} search entries taken out",
                flush=True,
            )
            if done["blocked_scripts"]:
                print(f"warning: {done['blocked_scripts']} inline scripts that are not the theme's own are blocked by the policy")
            return 0
        finally:
            _remove_generated(root, docs)
    finally:
        logger.removeHandler(handler)
