"""The MkDocs adapter stays thin, and nothing else depends on MkDocs or on the adapter."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

from tests.structure.imports import PACKAGE, graph, imported, module_name, modules

ADAPTER = "lchc_gen.mkdocs_plugin"
MAX_ADAPTER_LINES = 300
MKDOCS = ("mkdocs", "material", "properdocs")  # MkDocs, its Material theme and its continuation


def code_lines(source: str) -> int:
    """Lines with code: neither blank nor only a comment (docstrings count)."""
    lines = set()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER):
            lines.update(range(tok.start[0], tok.end[0] + 1))
    return len(lines)


def test_code_lines_counts_code_only() -> None:
    assert code_lines('"""Doc\nstring."""\n\n# a comment\nx = 1  # trailing\n\nif x:\n    pass\n') == 5


def test_the_mkdocs_adapter_has_at_most_300_lines_of_code() -> None:
    files = sorted((PACKAGE / "mkdocs_plugin").glob("*.py"))
    counted = {f.name: code_lines(f.read_text(encoding="utf-8")) for f in files}
    assert "plugin.py" in counted and counted["plugin.py"] > 50  # the adapter is where it is
    assert sum(counted.values()) <= MAX_ADAPTER_LINES, counted


def _outside_adapter() -> dict[str, Path]:
    return {name: path for name, path in modules().items() if not (name == ADAPTER or name.startswith(ADAPTER + "."))}


def test_nothing_outside_the_adapter_imports_mkdocs() -> None:
    known = modules()
    found = {
        name: sorted(m for m in imported(path, known) if m.split(".")[0] in MKDOCS)
        for name, path in _outside_adapter().items()
    }
    assert "lchc_gen.external_build" in found and "lchc_gen.site.core" in found  # both were read
    assert {name: mods for name, mods in found.items() if mods} == {}


def test_nothing_outside_the_adapter_imports_the_adapter() -> None:
    edges = graph()
    assert any(m.startswith(ADAPTER) for m in edges[ADAPTER])  # its own modules are seen
    users = {name: sorted(m for m in edges[name] if m == ADAPTER or m.startswith(ADAPTER + ".")) for name in _outside_adapter()}
    assert {name: mods for name, mods in users.items() if mods} == {}


def test_the_import_reader_sees_mkdocs_in_the_adapter() -> None:
    """The check above could pass by reading nothing: the adapter's own imports are found."""
    path = PACKAGE / "mkdocs_plugin" / "plugin.py"
    assert module_name(path) == "lchc_gen.mkdocs_plugin.plugin"
    assert any(m.startswith("mkdocs.") for m in imported(path, modules()))


def test_the_package_installs_without_mkdocs() -> None:
    """MkDocs and Material are the `mkdocs` extra: `pip install lchc-gen` gets the core and
    `lchc-gen build`, which need neither."""
    import tomllib

    project = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    required = {re.split(r"[<>=!~ \[;]", d, maxsplit=1)[0].lower() for d in project["dependencies"]}
    assert "pyyaml" in required  # the list is read
    assert required.isdisjoint({"mkdocs", "mkdocs-material", "properdocs"}), required
    assert {"mkdocs", "mkdocs-material"} <= {re.split(r"[<>=!~ ]", d, maxsplit=1)[0] for d in project["optional-dependencies"]["mkdocs"]}
