"""The package's import graph, read from the source with ast (nothing is imported)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "lchc_gen"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported(path: Path, known: dict[str, Path]) -> set[str]:
    """Every module `path` imports, anywhere in it (under TYPE_CHECKING and in functions too)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            out.add(base)
            # `from . import limits`, `from .access import crypto`: a submodule, not a name
            out |= {f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in known}
    return out


def graph() -> dict[str, set[str]]:
    known = modules()
    # A module's own packages are imported before it anyway (`from . import format` names one).
    return {
        name: {m for m in imported(path, known) if m in known and m != name and not name.startswith(m + ".")}
        for name, path in known.items()
    }
