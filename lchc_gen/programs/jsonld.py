"""schema.org Course / CourseInstance / Schedule markup for a program page."""

from __future__ import annotations

from typing import Any

from .load import LoadedProgram
from .model import OneOff, Series

_DAY_NAMES = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday", "SA": "Saturday", "SU": "Sunday"}
_MODE = {"in person": "onsite", "online": "online", "hybrid": "blended", "video": "online"}


def _iso_duration(minutes: int) -> str:
    h, m = divmod(minutes, 60)
    return "PT" + (f"{h}H" if h else "") + (f"{m}M" if m or not h else "")


def _instance(lp: LoadedProgram, index: int) -> dict[str, Any]:
    program = lp.program
    s = program.sessions[index]
    people = program.people()
    mine = [o for o in lp.occurrences if o.index == index and not o.cancelled]
    minutes = int(s.duration.total_seconds() // 60)
    inst: dict[str, Any] = {
        "@type": "CourseInstance",
        "name": s.title,
        "courseMode": _MODE[s.format],
        "instructor": [{"@type": "Person", "name": people[f].name} for f in s.facilitators if f in people],
        "description": s.rationale,
    }
    if s.location:
        inst["location"] = {"@type": "Place", "name": s.location}
    elif s.join_url:
        inst["location"] = {"@type": "VirtualLocation", "url": s.join_url}
    if mine:
        inst["startDate"] = mine[0].start.isoformat()
        inst["endDate"] = mine[-1].end.isoformat()
    if isinstance(s, Series):
        unit = {"weekly": "W", "monthly": "M", "yearly": "Y"}[s.frequency]
        schedule: dict[str, Any] = {
            "@type": "Schedule",
            "repeatFrequency": f"P{s.interval}{unit}",
            "startDate": s.first_date.isoformat(),
            "startTime": s.start.strftime("%H:%M"),
            "duration": _iso_duration(minutes),
            "scheduleTimezone": program.timezone,
        }
        if s.weekdays:
            schedule["byDay"] = [f"https://schema.org/{_DAY_NAMES[d]}" for d in s.weekdays]
        if s.frequency == "monthly" and not s.weekdays:
            schedule["byMonthDay"] = s.first_date.day
        if s.frequency == "yearly":
            schedule["byMonth"] = s.first_date.month
            schedule["byMonthDay"] = s.first_date.day
        if s.until:
            schedule["endDate"] = s.until.isoformat()
        if s.count:
            schedule["repeatCount"] = s.count
        if s.exceptions:
            schedule["exceptDate"] = [d.isoformat() for d in s.exceptions]
        inst["courseSchedule"] = schedule
    elif isinstance(s, OneOff):
        inst["courseSchedule"] = {
            "@type": "Schedule",
            "startDate": s.date.isoformat(),
            "startTime": s.start.strftime("%H:%M"),
            "duration": _iso_duration(minutes),
            "scheduleTimezone": program.timezone,
        }
    return inst


def course_jsonld(lp: LoadedProgram) -> dict[str, Any]:
    p = lp.program
    return {
        "@context": "https://schema.org",
        "@type": "Course",
        "@id": f"#{p.id}",
        "name": p.title,
        "description": p.summary,
        "audience": {"@type": "Audience", "audienceType": p.audience.description},
        "teaches": [o.text for o in p.objectives],
        "hasCourseInstance": [_instance(lp, i) for i in range(len(p.sessions))],
    }
