"""Times and durations in words that nobody misreads.

Zone abbreviations are ambiguous ("PST" is Pacific Standard Time to most readers and
Philippine Standard Time in Manila), so zones are named by their city and UTC offset:
"16:00 Manila time (UTC+8)".
"""

from __future__ import annotations

import datetime as dt


def zone_city(key: str) -> str:
    """``Asia/Manila`` -> ``Manila``; ``America/Argentina/Buenos_Aires`` -> ``Buenos Aires``."""
    if key.upper() in ("UTC", "ETC/UTC", "GMT", "ETC/GMT"):
        return "UTC"
    return key.rsplit("/", 1)[-1].replace("_", " ")


def utc_offset(moment: dt.datetime) -> str:
    offset = moment.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    h, m = divmod(abs(minutes), 60)
    return f"UTC{sign}{h}" + (f":{m:02d}" if m else "")


def zone_label(moment: dt.datetime, key: str) -> str:
    """``Manila time (UTC+8)``, ``Dublin time (UTC+0)``; plain ``UTC`` for UTC itself."""
    city = zone_city(key)
    if city == "UTC":
        return "UTC"
    return f"{city} time ({utc_offset(moment)})"


def span(start: dt.datetime, end: dt.datetime, key: str) -> str:
    """``16:00–17:30 Manila time (UTC+8)``; an end on another day names that day."""
    end_text = f"{end:%H:%M}"
    if end.date() != start.date():
        midnight = end.time() == dt.time(0) and (end.date() - start.date()).days == 1
        end_text = "24:00" if midnight else f"{end:%a} {end:%H:%M}"
    return f"{start:%H:%M}\u2013{end_text} {zone_label(start, key)}"


def minutes_text(minutes: int) -> str:
    """``20 minutes``, ``1 hour``, ``1 hour 30 minutes``, ``3 hours``."""
    h, m = divmod(int(minutes), 60)
    parts = []
    if h:
        parts.append(f"{h} hour{'s' if h != 1 else ''}")
    if m or not h:
        parts.append(f"{m} minute{'s' if m != 1 else ''}")
    return " ".join(parts)


def short_date(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def day_range(first: dt.date, last: dt.date) -> str:
    """``12 Oct to 2 Nov 2027``; the first year is named when the years differ."""
    if first == last:
        return f"{first.day} {first:%b %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day} to {last.day} {last:%b %Y}"
    head = f"{first.day} {first:%b}" + (f" {first.year}" if first.year != last.year else "")
    return f"{head} to {last.day} {last:%b %Y}"


def offset_words(days: int) -> str:
    """``2 days``, ``1 week``, ``6 weeks``."""
    if days and days % 7 == 0:
        weeks = days // 7
        return f"{weeks} week{'s' if weeks != 1 else ''}"
    return f"{days} day{'s' if days != 1 else ''}"
