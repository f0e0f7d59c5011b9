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


def column_letter(pos: int) -> str:
    """A 0-based position as a spreadsheet names it: 0 -> A, 27 -> AB."""
    letters = ""
    pos += 1
    while pos:
        pos, rest = divmod(pos - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _rows_text(rows: Sequence[int]) -> str:
    return f"row{'s' if len(rows) != 1 else ''} {', '.join(map(str, rows))}"


@dataclass
class _Layout:
    """Where the tool's header rows end and what each column's headings are."""

    header_row: int
    names: list[str]
    texts: list[str]
    body: list[tuple[int, list[str]]]


def _layout(grid: Grid, preset: Preset) -> _Layout | None:
    rows = grid.rows
    if len(rows) < preset.header_rows:
        return None
    header_row, names = rows[0]
    texts = rows[preset.text_row - 1][1] if preset.text_row else names
    count = preset.header_rows
    marker = preset.optional_header_start
    if marker and len(rows) > count:
        cells = [c.strip() for c in rows[count][1] if c.strip()]
        if cells and all(c.startswith(marker) for c in cells):
            count += 1  # the current layout's ImportId row; the legacy layout's answers start here
    return _Layout(header_row, names, texts, rows[count:])


def _unabbreviated(heading: str, preset: Preset, wordings: Sequence[str]) -> list[str]:
    """The one wording an abbreviated heading stands for (LimeSurvey's "Month Year[subm...Date
    submitted]": its start and end around an ellipsis), or nothing when none or several fit."""
    mark = preset.abbreviation_mark
    if not mark or heading.count(mark) != 1:
        return []
    start, end = (x.strip().casefold() for x in heading.split(mark))
    if not start and not end:
        return []
    fits = {w for w in wordings if w.strip().casefold().startswith(start) and w.strip().casefold().endswith(end)
            and len(w.strip()) >= len(start) + len(end)}
    return list(fits) if len(fits) == 1 else []


def _heading_keys(heading: str, text: str, preset: Preset, wordings: Sequence[str] = ()) -> list[str]:
    """The normalised names a column goes by: its heading, its text row, for "code. text"
    headings (LimeSurvey) the code and the text on their own, and the wording an abbreviated
    heading stands for."""
    parts = [heading, text, *_unabbreviated(heading, preset, wordings)]
    if preset.code_separator:
        for h in (heading, text):
            code, sep, rest = h.partition(preset.code_separator)
            if sep and code.strip() and not any(ch.isspace() for ch in code.strip()):
                parts += [code, rest]
    return [k for k in dict.fromkeys(normalised(x) for x in parts) if k]


def _codes(heading: str, preset: Preset) -> list[str]:
    """The heading, and its code alone when it reads "code. text"."""
    code, sep, _ = heading.partition(preset.code_separator) if preset.code_separator else ("", "", "")
    return [heading, code] if sep and code.strip() else [heading]


def _squashed(key: str) -> str:
    """A key without spaces or a trailing count: "EmailAddress" is "email address", and
    Microsoft's "Name2" (a question headed like its own Name column) is "name"."""
    return key.replace(" ", "").rstrip("0123456789") or key


def to_canonical(
    grid: Grid,
    format: str,
    targets: Sequence[Target],
    columns: Mapping[str, object] | None = None,
    values: Mapping[str, Mapping[str, str]] | None = None,
    looks_like_question: Callable[[str], bool] | None = None,
    codes: Mapping[str, str] | None = None,
    incomplete: str = "skip",
) -> Canonical:
    """Match the grid's columns to ``targets`` and copy only the matched cells.

    ``columns`` maps a canonical name to the heading a team used for it (or a ``ColumnAt``
    position); ``codes`` maps an export's question codes to question ids; ``values`` maps, per
    canonical column, an answer as written to the value the loader expects (roles).
    Every data row is either used or named in a note (incomplete responses skipped).
    """
    preset = PRESETS[format]
    problems: list[Problem] = []
    notes: list[str] = []
    shown = grid.shown
    layout = _layout(grid, preset)
    if layout is None:
        problems.append(Problem(shown, 1, "(file)", f"the file is empty (a {preset.label} export starts with"
                                f" {preset.header_rows} header row{'s' if preset.header_rows > 1 else ''})", cell=True))
        return Canonical(shown, 1, [], [], {}, problems=problems, columns_ok=False)
    header_row, names, texts, body = layout.header_row, layout.names, layout.texts, layout.body
    by_name = {t.name: t for t in targets}
    width = max(len(names), len(texts), 0)

    def problem(row: int, column: str, message: str) -> None:
        problems.append(Problem(shown, row, column, message, cell=True))

    def cell(record: list[str], pos: int) -> str:
        return record[pos].strip() if pos < len(record) else ""

    def heading_of(pos: int) -> str:
        h = names[pos].strip() if pos < len(names) else ""
        t = texts[pos].strip() if pos < len(texts) else ""
        return h or t or f"(unnamed column {pos + 1})"

    all_headings = [heading_of(p) for p in range(width)]

    def described(pos: int) -> str:
        """A column for the build log: with its text row when that names it otherwise (Qualtrics'
        legacy "V5 (EmailAddress)")."""
        t = texts[pos].strip() if pos < len(texts) else ""
        h = all_headings[pos]
        return f"{h} ({t})" if t and normalised(t) != normalised(h) and preset.text_row else h
    all_keys = [normalised(h) for h in all_headings]

    def where(pos: int) -> str:
        """A column as problems name it: by heading, and by letter when its heading repeats."""
        if pos >= width:
            return f"column {column_letter(pos)}"
        h = all_headings[pos]
        return f"{h!r} (column {column_letter(pos)})" if all_keys.count(all_keys[pos]) > 1 else repr(h)

    mapped: dict[str, str] = {}
    at: dict[int, str] = {}  # position -> canonical name, from `columns`
    for name, h in (columns or {}).items():
        if isinstance(h, str):
            mapped[normalised(h)] = name
            shown_h = h
            if not any(normalised(h) in _heading_keys(names[p] if p < len(names) else "",
                                                      texts[p] if p < len(texts) else "", preset) for p in range(width)):
                problem(header_row, h, f"`columns` maps {name!r} to {h!r}, but no column of the file has that heading")
        else:
            pos = getattr(h, "position", None)
            shown_h = f"column {getattr(h, 'column', h)}"
            if pos is None or pos >= width:
                problem(header_row, shown_h, f"`columns` maps {name!r} to {shown_h}, which the file does not have"
                                             f" (its columns are A to {column_letter(max(width - 1, 0))})")
                continue
            at[pos] = name
        if name not in by_name:
            problem(header_row, shown_h, f"`columns` maps {name!r}, which is not a column of this file's kind"
                                         f" (known: {', '.join(sorted(by_name))})")
    for code, qid in (codes or {}).items():
        if qid not in by_name or not by_name[qid].question:
            problem(header_row, code, f"`codes` maps {code!r} to {qid!r}, which is not a question of this file's kind")
        else:
            mapped.setdefault(normalised(code), qid)
    identity = {_squashed(normalised(x)) for x in (*IDENTITY, *preset.identity)}
    stamp_names = [normalised(x) for x in preset.submitted_at]
    respondent_names = {normalised(x) for x in preset.respondent}
    finished_names = {normalised(x) for x in preset.finished}
    metadata = {normalised(x) for x in preset.metadata}
    quiz = tuple(normalised(x) for x in preset.quiz_prefixes)
    exact: dict[str, str] = {}
    for t in targets:
        exact[normalised(t.name)] = t.name
        for text in t.texts:
            exact.setdefault(normalised(text), t.name)
    contains = [(normalised(c), t.name) for t in targets for c in t.contains]
    contains.sort(key=lambda pair: -len(pair[0]))  # the longest wording wins

    # What an abbreviated heading may stand for: the questions' wordings and the tool's own names.
    wordings = [w for t in targets for w in (*t.texts, *t.contains)] + [
        *preset.submitted_at, *preset.respondent, *preset.identity, *IDENTITY, *preset.metadata]
    matched: dict[str, list[int]] = {}
    dropped, ignored, unmatched, quiz_columns, unknown_codes = [], [], [], [], []
    tool_ids: list[tuple[int, str]] = []
    stamps: list[tuple[int, int, str]] = []  # (preference, position, heading)
    finished_pos: int | None = None
    for pos in range(width):
        heading = names[pos].strip() if pos < len(names) else ""
        keys = _heading_keys(heading, texts[pos].strip() if pos < len(texts) else "", preset, wordings)
        shown_heading = all_headings[pos]
        if any(_squashed(k) in identity for k in keys):
            dropped.append(described(pos))
            if pos in at or any(k in mapped for k in keys):
                problem(header_row, shown_heading, "an identity column cannot be mapped: it is dropped and never kept")
            continue
        if pos in at:
            matched.setdefault(at[pos], []).append(pos)
            continue
        if finished_names and finished_pos is None and any(k in finished_names for k in keys):
            finished_pos = pos  # read for incomplete responses only
        if quiz and any(k.startswith(q) for k in keys for q in quiz):
            quiz_columns.append(shown_heading)
            continue
        name = next((mapped[k] for k in keys if k in mapped), None)
        if name is None and "submitted_at" in by_name and (rank := _rank(keys, stamp_names)) is not None:
            stamps.append((rank, pos, shown_heading))
            continue
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
            elif looks_like_question and any(looks_like_question(c) for c in _codes(heading, preset)):
                unknown_codes.append(shown_heading)
            elif _question_like(keys, targets):
                unmatched.append((pos, shown_heading, keys))
            else:
                ignored.append(shown_heading)
            continue
        if name in at.values():
            ignored.append(shown_heading)  # the mapped position is the one read
            continue
        matched.setdefault(name, []).append(pos)

    for rank, pos, shown_heading in sorted(stamps):
        if "submitted_at" not in matched:
            matched["submitted_at"] = [pos]
        else:
            ignored.append(shown_heading)
    for pos, shown_heading in tool_ids:
        if "respondent" not in matched:
            matched["respondent"] = [pos]
        else:
            ignored.append(shown_heading)
    headings = {name: all_headings[ps[0]] for name, ps in matched.items()}
    # One heading repeated (a question asked again on another page, or written with other
    # spacing): its columns are read as one, each row's answer from the one it filled in.
    merged = {name for name, ps in matched.items() if by_name[name].question or len({all_keys[p] for p in ps}) == 1}
    for name, ps in matched.items():
        if name not in merged:
            problem(header_row, headings[name], f"more than one column is {name!r}: {', '.join(where(p) for p in ps)}"
                                                " (name one in `columns` by its position, e.g. {column: C})")
    for pos, shown_heading, keys in unmatched:
        problem(header_row, shown_heading, f"matches no question (closest: {_closest(keys, targets, matched)})")
    missing = [t for t in targets if t.required and t.name not in matched]
    synthesise = False
    for t in missing:
        if t.name == "respondent" and format != "native":
            synthesise = True  # each row its own respondent; said in a note below
            continue
        left = ", ".join([repr(h) for _, h, _ in unmatched] + [repr(h) for h in unknown_codes]) or "none"
        problem(header_row, t.name, f"no column for {t.described or t.name} (columns matching no question: {left})")
    if dropped:
        notes.append(f"{shown}: identity columns dropped, never kept: {', '.join(dropped)}")
    if quiz_columns:
        notes.append(f"{shown}: quiz columns (points and feedback per question) ignored: {', '.join(quiz_columns)}")
    if unknown_codes:
        notes.append(f"{shown}: question codes not in the questionnaire ignored (map them with `codes` if they"
                     f" answer one of its questions): {', '.join(unknown_codes)}")
    if ignored:
        notes.append(f"{shown}: ignored columns: {', '.join(ignored)}")
    if synthesise:
        notes.append(f"{shown}: no respondent column: each row counts as its own respondent"
                     " (repeated submissions cannot be found)")
    if preset.submitted_at and "submitted_at" in by_name and "submitted_at" not in matched:
        notes.append(f"{shown}: warning: no {preset.label} timestamp column ({' or '.join(preset.submitted_at[:2])}):"
                     " submissions have no time, and of two from one respondent the later row counts")

    columns_ok = not problems
    header = list(matched)
    stamp_pos = matched["submitted_at"][0] if "submitted_at" in matched else None
    unfinished = {x.casefold() for x in preset.unfinished}

    def is_incomplete(record: list[str]) -> bool:
        if preset.incomplete_without_stamp and stamp_pos is not None and not cell(record, stamp_pos):
            return True
        return finished_pos is not None and cell(record, finished_pos).casefold() in unfinished

    out_rows: list[tuple[int, list[str]]] = []
    cell_headings: dict[tuple[int, str], str] = {}
    value_maps = {k: {normalised(a): v for a, v in m.items()} for k, m in (values or {}).items()}
    placeholders = {x.strip() for x in preset.placeholder_stamps}
    skipped: list[int] = []
    blank_stamps: list[int] = []
    for row, record in body:
        if incomplete == "skip" and is_incomplete(record):
            skipped.append(row)
            continue
        cells = []
        for name in header:
            columns_of = matched[name] if name in merged else matched[name][:1]
            found = [(p, cell(record, p)) for p in columns_of if cell(record, p)]
            raw = found[0][1] if found else ""
            if name == "submitted_at" and raw in placeholders:
                blank_stamps.append(row)
                raw = ""
            if len(found) > 1:
                problem(row, all_headings[found[1][0]], f"a second answer to {name!r} in the same row:"
                                                        f" {where(found[1][0])}, also in {where(found[0][0])}")
            elif found and found[0][0] != matched[name][0]:
                cell_headings[(row, name)] = all_headings[found[0][0]]
            cells.append(_convert(name, raw, row, by_name[name], preset, value_maps, lambda c, m: problem(row, c, m),
                                  cell_headings.get((row, name)) or headings[name]))
        if synthesise:
            cells.append(f"row-{row}")
        out_rows.append((row, cells))
    if synthesise:
        header.append("respondent")
        headings["respondent"] = "(row)"
    if blank_stamps:
        notes.append(f"{shown}: {len(blank_stamps)} timestamp{'s' if len(blank_stamps) != 1 else ''} are the placeholder"
                     f" an anonymised {preset.label} survey writes ({', '.join(sorted(placeholders))}): read as no time")
    if format != "native":
        read = f"{shown}: {len(body)} data row{'s' if len(body) != 1 else ''} read, {len(out_rows)} used"
        if skipped:
            read += (f", {len(skipped)} incomplete response{'s' if len(skipped) != 1 else ''} skipped"
                     f" ({_rows_text(skipped)}; set `incomplete: keep` to read them)")
        notes.append(read)
    return Canonical(shown, header_row, header, out_rows, headings, cell_headings, problems, notes, columns_ok)


def _rank(keys: list[str], names: list[str]) -> int | None:
    """The preference of the first of ``names`` (in order) that the column goes by, or None."""
    ranks = [names.index(k) for k in keys if k in names]
    return min(ranks) if ranks else None


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
