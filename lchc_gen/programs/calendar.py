"""One RFC 5545 calendar per program, built with the icalendar library.

UIDs come from the program, session and original date, so re-importing a calendar updates
events instead of duplicating them. SEQUENCE is the program's ``revision`` (raised by the
admin when a published schedule changes) plus one for an occurrence that was moved or
cancelled by an override, so calendar apps accept the change.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event, vText

from .cohorts import Cohort
from .load import LoadedProgram
from .schedule import FollowUp, Occurrence, follow_ups
from .timefmt import offset_words

PRODID = "-//lchc_gen//Training programs//EN"


def _description(lp: LoadedProgram, occ: Occurrence, link: str | None) -> str:
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
    if occ.session.cohort:
        lines.append(f"Who attends: {occ.session.cohort}")
    if occ.session.join_url:
        lines.append(f"Join: {occ.session.join_url}")
    if link:
        lines.append(f"Details: {link}")
    return "\n\n".join(lines)


def _event(lp: LoadedProgram, occ: Occurrence, stamp: dt.datetime, page_url: str | None) -> Event:
    program = lp.program
    link = f"{page_url}#{occ.anchor}" if page_url else None
    event = Event()
    event.add("uid", occ.uid)
    event.add("dtstamp", stamp)
    event.add("sequence", program.revision + (1 if occ.override is not None else 0))
    event.add("summary", f"{program.title}: {occ.session.title}")
    event.add("dtstart", occ.start)
    event.add("dtend", occ.end)
    event.add("description", _description(lp, occ, link))
    if occ.location:
        event.add("location", occ.location)
    elif occ.session.join_url:
        event.add("location", occ.session.join_url)
    if link:  # back to the session on its program page; the join link is in LOCATION and DESCRIPTION
        event.add("url", link)
    elif occ.session.join_url:
        event.add("url", occ.session.join_url)
    event.add("status", "CANCELLED" if occ.cancelled else "CONFIRMED")
    return event


def add_step_times(event: Event, f: FollowUp) -> None:
    """A timed step, or a whole day: DATE values, free time."""
    if f.start is not None and f.end is not None:
        event.add("dtstart", f.start)
        event.add("dtend", f.end)
    else:
        event.add("dtstart", f.day)
        event.add("dtend", f.day + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")


def _follow_up_event(lp: LoadedProgram, f: FollowUp, stamp: dt.datetime, page_url: str | None) -> Event:
    program = lp.program
    r = f.reinforcement
    objectives = {o.id: o for o in program.objectives}
    event = Event()
    event.add("uid", f.uid)
    event.add("dtstamp", stamp)
    event.add("sequence", program.revision)
    event.add("summary", f"{program.title}: {r.title}")
    add_step_times(event, f)
    lines = [f"Why: {r.purpose}"]
    if f.offset_days is not None and f.anchor_label:
        lines.append(f"{offset_words(f.offset_days)} after {f.anchor_label}")
    reinforced = [objectives[o].text for o in r.objectives if o in objectives]
    if reinforced:
        lines.append("Reinforces: " + " / ".join(reinforced))
    lines.append(f"Program: {program.title}")
    if page_url:
        lines.append(f"Details: {page_url}#{f.dom_id}")
        event.add("url", f"{page_url}#{f.dom_id}")
    event.add("description", "\n\n".join(lines))
    if r.objectives:
        event.add("categories", [o for o in r.objectives if o in objectives])
    event.add("status", "CONFIRMED")
    return event


def program_calendar(
    lp: LoadedProgram,
    stamp: dt.datetime,
    page_url: str | None = None,
    session_index: int | None = None,
    cohort: Cohort | None = None,
) -> bytes:
    """The .ics file of a program, of one of its sessions (``session_index``), or of one cohort:
    the sessions that cohort attends and their follow-ups, nothing of the other cohorts.

    ``stamp`` is DTSTAMP (pass a fixed time for reproducible output); ``page_url`` is the
    program page's absolute address, linked from every event. A program's calendar also holds
    its reinforcement follow-ups.
    """
    program = lp.program
    occurrences = [o for o in lp.occurrences if session_index is None or o.index == session_index]
    if cohort is not None:
        occurrences = list(cohort.occurrences)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    name = program.title if session_index is None else f"{program.title}: {program.sessions[session_index].title}"
    if cohort is not None and cohort.name:
        name = f"{program.title}: {cohort.name}"
    # X- properties have no known value type, so icalendar would write them unescaped: say TEXT.
    cal.add("x-wr-calname", vText(name))
    cal.add("x-wr-timezone", vText(program.timezone))
    for occ in occurrences:
        cal.add_component(_event(lp, occ, stamp, page_url))
    steps = list(cohort.follow_ups) if cohort is not None else follow_ups(program, lp.occurrences) if session_index is None else []
    for f in steps:
        cal.add_component(_follow_up_event(lp, f, stamp, page_url))
    days = [o.start.date() for o in occurrences] + [o.end.date() for o in occurrences] + [f.day for f in steps]
    if days:
        # Only the transitions the events need, not 1970-2038: keeps the file small.
        first, last = min(days), max(days)
        cal.add_missing_timezones(first_date=first - dt.timedelta(days=366), last_date=last + dt.timedelta(days=366))
    return cal.to_ical()
