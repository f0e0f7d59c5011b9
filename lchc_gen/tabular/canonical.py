"""Turn a tool's export (a Grid) into the loaders' own columns, keeping where each cell came from.

The loaders (survey responses, learner feedback) then check cells as they check native files;
their problems name the tool's own heading, row and sheet through ``Canonical.heading``.
Identity columns (email, name, IP address) are dropped here: their cells are never copied.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

from ..problems import Problem
from .presets import IDENTITY, PRESETS, Preset, Target
from .read import Grid

_PUNCT = re.compile(r"[\W_]+")
_GMT = re.compile(r"\s*(?:GMT|UTC)\s*(?P<sign>[+-])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?\s*$", re.IGNORECASE)
_GMT_ZERO = re.compile(r"\s*(?:GMT|UTC|Z)\s*$", re.IGNORECASE)
_LEADING_NUMBER = re.compile(r"^\s*(\d+)\s*(?:[-\u2013\u2014:=(]|$)")


def normalised(text: str) -> str:
    """Case, spacing and punctuation ignored: "How often ...?" == "how often ..."."""
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").casefold()
    return _PUNCT.sub(" ", text).strip()


@dataclass
class Canonical:
    shown: str
    header_row: int
    header: list[str]  # canonical column names
    rows: list[tuple[int, list[str]]]  # (row in the file, cells in header order)
    headings: dict[str, str]  # canonical name -> the tool's heading
    cell_headings: dict[tuple[int, str], str] = field(default_factory=dict)  # merged columns: per cell
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    columns_ok: bool = True  # no problem with the columns: the rows can be checked (cell problems add up)

    def heading(self, row: int, column: str) -> str:
        return self.cell_headings.get((row, column)) or self.headings.get(column, column)


def parse_timestamp(raw: str, preset: Preset) -> str | None:
    """An ISO 8601 string for the tool's timestamp, or None. Naive stamps stay naive."""
    text = raw.strip()
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()
    except ValueError:
        pass
    tz = None
    if m := _GMT.search(text):
        sign = -1 if m.group("sign") == "-" else 1
        tz = dt.timezone(sign * dt.timedelta(hours=int(m.group("h")), minutes=int(m.group("m") or 0)))
        text = text[: m.start()]
    elif m := _GMT_ZERO.search(text):
        tz, text = dt.timezone.utc, text[: m.start()]
    for fmt in preset.timestamp_formats:
        try:
            stamp = dt.datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
        return (stamp.replace(tzinfo=tz) if tz else stamp).isoformat()
    return None


def to_canonical(
    grid: Grid,
    format: str,
    targets: Sequence[Target],
    columns: Mapping[str, str] | None = None,
    values: Mapping[str, Mapping[str, str]] | None = None,
    looks_like_question: Callable[[str], bool] | None = None,
) -> Canonical:
    """Match the grid's columns to ``targets`` and copy only the matched cells.

    ``columns`` maps a canonical name to the heading a team used for it; ``values`` maps, per
    canonical column, an answer as written to the value the loader expects (roles).
    """
    preset = PRESETS[format]
    problems: list[Problem] = []
    notes: list[str] = []
    shown = grid.shown
    if len(grid.rows) < preset.header_rows:
        problems.append(Problem(shown, 1, "(file)", f"the file is empty (a {preset.label} export starts with"
                                f" {preset.header_rows} header row{'s' if preset.header_rows > 1 else ''})", cell=True))
        return Canonical(shown, 1, [], [], {}, problems=problems, columns_ok=False)
    header_row, names = grid.rows[0]
    texts = grid.rows[preset.text_row - 1][1] if preset.text_row else names
    body = grid.rows[preset.header_rows:]
    by_name = {t.name: t for t in targets}

    def problem(row: int, column: str, message: str) -> None:
        problems.append(Problem(shown, row, column, message, cell=True))

    mapped = {normalised(h): name for name, h in (columns or {}).items()}
    for name, h in (columns or {}).items():
        if name not in by_name:
            problem(header_row, h, f"`columns` maps {name!r}, which is not a column of this file's kind"
                                   f" (known: {', '.join(sorted(by_name))})")
    identity = {normalised(x) for x in (*IDENTITY, *preset.identity)}
    stamp_names = {normalised(x) for x in preset.submitted_at}
    respondent_names = {normalised(x) for x in preset.respondent}
    metadata = {normalised(x) for x in preset.metadata}
    exact: dict[str, str] = {}
    for t in targets:
        exact[normalised(t.name)] = t.name
        for text in t.texts:
            exact.setdefault(normalised(text), t.name)
    contains = [(normalised(c), t.name) for t in targets for c in t.contains]
    contains.sort(key=lambda pair: -len(pair[0]))  # the longest wording wins

    matched: dict[str, list[int]] = {}
    dropped, ignored, unmatched = [], [], []
    tool_ids: list[tuple[int, str]] = []
    width = max(len(names), len(texts))
    for pos in range(width):
        heading = names[pos].strip() if pos < len(names) else ""
        text = texts[pos].strip() if pos < len(texts) else ""
        keys = [k for k in dict.fromkeys((normalised(heading), normalised(text))) if k]
        shown_heading = heading or text or f"(unnamed column {pos + 1})"
        if any(k in identity for k in keys):
            dropped.append(shown_heading)
            if any(k in mapped for k in keys):
                problem(header_row, shown_heading, "an identity column cannot be mapped: it is dropped and never kept")
            continue
        name = next((mapped[k] for k in keys if k in mapped), None)
        if name is None and "submitted_at" in by_name and any(k in stamp_names for k in keys):
            name = "submitted_at"
        if name is None and "respondent" in by_name and any(k in respondent_names for k in keys):
            tool_ids.append((pos, shown_heading))  # the tool's response id: used only if no column names respondents
            continue
        if name is None:
            name = next((exact[k] for k in keys if k in exact), None)
        if name is None:
            name = next((n for c, n in contains for k in keys if c and c in k), None)
        if name is None or name not in by_name:
            if any(k in metadata for k in keys) or heading.upper().endswith(preset.metadata_suffixes):
                ignored.append(shown_heading)
            elif looks_like_question and looks_like_question(heading):
                problem(header_row, shown_heading, "looks like a question id, but the questionnaire has no such question")
            elif _question_like(keys, targets):
                unmatched.append((pos, shown_heading, keys))
            else:
                ignored.append(shown_heading)
            continue
        matched.setdefault(name, []).append(pos)

    for pos, shown_heading in tool_ids:
        if "respondent" not in matched:
            matched["respondent"] = [pos]
        else:
            ignored.append(shown_heading)
    headings = {name: (names[ps[0]].strip() or texts[ps[0]].strip()) for name, ps in matched.items()}
    for name, ps in matched.items():
        if len(ps) > 1 and not by_name[name].question:
            problem(header_row, headings[name], f"more than one column is {name!r}:"
                                                f" {', '.join(repr(names[p].strip()) for p in ps)}")
    for pos, shown_heading, keys in unmatched:
        problem(header_row, shown_heading, f"matches no question (closest: {_closest(keys, targets, matched)})")
    missing = [t for t in targets if t.required and t.name not in matched]
    synthesise = False
    for t in missing:
        if t.name == "respondent" and format != "native":
            synthesise = True  # each row its own respondent; said in a note below
            continue
        left = ", ".join(repr(h) for _, h, _ in unmatched) or "none"
        problem(header_row, t.name, f"no column for {t.described or t.name} (columns matching no question: {left})")
    if dropped:
        notes.append(f"{shown}: identity columns dropped, never kept: {', '.join(dropped)}")
    if ignored:
        notes.append(f"{shown}: ignored columns: {', '.join(ignored)}")
    if synthesise:
        notes.append(f"{shown}: no respondent column: each row counts as its own respondent"
                     " (repeated submissions cannot be found)")

    columns_ok = not problems
    header = list(matched)
    out_rows: list[tuple[int, list[str]]] = []
    cell_headings: dict[tuple[int, str], str] = {}
    value_maps = {k: {normalised(a): v for a, v in m.items()} for k, m in (values or {}).items()}
    for row, record in body:
        cells = []
        for name in header:
            columns_of = matched[name] if by_name[name].question else matched[name][:1]
            found = [(p, record[p].strip()) for p in columns_of if p < len(record) and record[p].strip()]
            raw = found[0][1] if found else ""
            if len(found) > 1:
                problem(row, names[found[1][0]].strip(), f"a second answer to {name!r} in the same row"
                                                         f" (also in {names[found[0][0]].strip()!r})")
            elif found and found[0][0] != matched[name][0]:
                cell_headings[(row, name)] = names[found[0][0]].strip() or texts[found[0][0]].strip()
            cells.append(_convert(name, raw, row, by_name[name], preset, value_maps, lambda c, m: problem(row, c, m),
                                  cell_headings.get((row, name)) or headings[name]))
        if synthesise:
            cells.append(f"row-{row}")
        out_rows.append((row, cells))
    if synthesise:
        header.append("respondent")
        headings["respondent"] = "(row)"
    return Canonical(shown, header_row, header, out_rows, headings, cell_headings, problems, notes, columns_ok)


def _convert(
    name: str, raw: str, row: int, target: Target, preset: Preset,
    value_maps: dict[str, dict[str, str]], problem: Callable[[str, str], None], heading: str,
) -> str:
    if not raw:
        return raw
    if name == "submitted_at" and preset.name != "native":
        stamp = parse_timestamp(raw, preset)
        if stamp is None:
            problem(heading, f"not a {preset.label} timestamp: {raw!r}")
            return ""
        return stamp
    if name in value_maps:
        return value_maps[name].get(normalised(raw), raw)
    if target.answers == "scale" and (m := _LEADING_NUMBER.match(raw)):
        return m.group(1)
    return raw


def _question_like(keys: list[str], targets: Sequence[Target]) -> bool:
    """A heading close to a question's wording: likely a question that was reworded."""
    wordings = [normalised(w) for t in targets if t.question for w in (*t.texts, *t.contains)]
    return any(difflib.get_close_matches(k, wordings, n=1, cutoff=0.75) for k in keys)


def _closest(keys: list[str], targets: Sequence[Target], matched: Mapping[str, list[int]]) -> str:
    best = (0.0, "")
    for t in targets:
        if not t.question:
            continue
        for w in (*t.texts, *t.contains):
            for k in keys:
                ratio = difflib.SequenceMatcher(None, k, normalised(w)).ratio()
                if ratio > best[0]:
                    taken = " (already matched by another column)" if t.name in matched else ""
                    best = (ratio, f"{t.name} {w!r}{taken}")
    return best[1] or "none"
