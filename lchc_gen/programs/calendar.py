"""One RFC 5545 calendar per program, built with the icalendar library.

UIDs come from the program, session and original date, so re-importing a calendar updates
events instead of duplicating them. SEQUENCE is the program's ``revision`` (raised by the
admin when a published schedule changes) plus one for an occurrence that was moved or
cancelled by an override, so calendar apps accept the change.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event

from .load import LoadedProgram
from .schedule import Occurrence

PRODID = "-//lchc_gen//Training programs//EN"


def _description(lp: LoadedProgram, occ: Occurrence) -> str:
    program = lp.program
    people = program.people()
    lines = [f"Why then: {occ.rationale}"]
    if occ.session.description:
        lines.append(occ.session.description)
    names = [people[f].name for f in occ.session.facilitators if f in people]
    if names:
        lines.append("With: " + ", ".join(names))
    lines.append(f"Program: {program.title}")
    lines.append(f"Who takes part and why: {program.audience.why_this_group}")
    if occ.session.join_url:
        lines.append(f"Join: {occ.session.join_url}")
    return "\n\n".join(lines)


def _event(lp: LoadedProgram, occ: Occurrence, stamp: dt.datetime) -> Event:
    program = lp.program
    event = Event()
    event.add("uid", occ.uid)
    event.add("dtstamp", stamp)
    event.add("sequence", program.revision + (1 if occ.override is not None else 0))
    event.add("summary", f"{program.title}: {occ.session.title}")
    event.add("dtstart", occ.start)
    event.add("dtend", occ.end)
    event.add("description", _description(lp, occ))
    if occ.location:
        event.add("location", occ.location)
    elif occ.session.join_url:
        event.add("location", occ.session.join_url)
    if occ.session.join_url:
        event.add("url", occ.session.join_url)
    event.add("status", "CANCELLED" if occ.cancelled else "CONFIRMED")
    return event


def program_calendar(lp: LoadedProgram, stamp: dt.datetime) -> bytes:
    """The .ics file of a program. ``stamp`` is DTSTAMP (pass a fixed time for reproducible output)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", lp.program.title)
    cal.add("x-wr-timezone", lp.program.timezone)
    for occ in lp.occurrences:
        cal.add_component(_event(lp, occ, stamp))
    if lp.occurrences:
        # Only the transitions the events need, not 1970-2038: keeps the file small.
        first = min(o.start for o in lp.occurrences).date()
        last = max(o.end for o in lp.occurrences).date()
        cal.add_missing_timezones(first_date=first - dt.timedelta(days=366), last_date=last + dt.timedelta(days=366))
    return cal.to_ical()
