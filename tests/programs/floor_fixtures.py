"""Two programs on two floors (Dublin with channels, Manila), across Dublin's spring change of
clocks (Sunday 28 March 2027): the hand-computed cases of the operations tests."""

from __future__ import annotations

FLOOR = """\
currency: EUR
locations:
  - name: Dublin
    timezone: Europe/Dublin
    hourly_cost: 40
    channels:
      - name: phone
        headcount: 20
        minimum:
          - {stay: 10, days: [MO, TU, WE, TH, FR], hours: "08:00-18:00", why: opening hours}
      - {name: chat, headcount: 10}
  - name: Manila
    timezone: Asia/Manila
    hourly_cost: 12.5
    headcount: 30
    minimum:
      - {share: 0.5, hours: "16:00-18:00", why: the afternoon peak}
"""

# Wave 1 is 6 Dublin phone agents and 10 in Manila. Tuesdays 09:00-10:30 Dublin time: on 23 March
# (GMT) that is 17:00-18:30 in Manila, on 30 March (IST, UTC+1) 16:00-17:30. The day after each,
# a 30-minute follow-up at 09:00 Dublin time.
PROGRAM_A = """\
id: a
title: Program A
summary: Used by the tests.
status: draft
owner: Tests
timezone: Europe/Dublin
audience:
  description: New agents.
  why_this_group: They start in March.
objectives:
  - {id: know-a, domain: know, text: Know A.}
sessions:
  - {id: basics, title: Basics, weekdays: [TU], first_date: 2027-03-23, count: 2, start: "09:00", duration: 90,
     cohort: Wave 1, rationale: Before the lunch peak.}
reinforcement:
  - {id: recap, title: Recap, purpose: Recall the day before., after: {session: basics}, offsets: [1d], start: "09:00", duration: 30}
floor:
  ready: take customer calls
  learners:
    - {cohort: Wave 1, location: Dublin, channel: phone, count: 6}
    - {cohort: Wave 1, location: Manila, count: 10}
  compared_to: {design: two classroom days, sessions: 2, session_duration: 8h}
"""

# Everyone: 8 in Manila and 4 Dublin phone agents. A one-off on Tue 30 March 16:30-17:30 Manila
# (09:30-10:30 Dublin); a clinic each learner attends once, Wed 31 March or Thu 1 April,
# 16:00-17:00 Manila (09:00-10:00 Dublin): half of each floor's learners on each date.
PROGRAM_B = """\
id: b
title: Program B
summary: Used by the tests.
status: draft
owner: Tests
timezone: Asia/Manila
audience:
  description: All agents.
  why_this_group: A new tool.
objectives:
  - {id: know-b, domain: know, text: Know B.}
sessions:
  - {id: launch, title: Launch, date: 2027-03-30, start: "16:30", duration: 60, rationale: The tool goes live that evening.}
  - {id: clinic-1, title: Clinic, date: 2027-03-31, start: "16:00", duration: 60, one_of: clinic, rationale: Two dates and half on each.}
  - {id: clinic-2, title: Clinic, date: 2027-04-01, start: "16:00", duration: 60, one_of: clinic, rationale: Two dates and half on each.}
floor:
  learners:
    - {location: Manila, count: 8}
    - {location: Dublin, channel: phone, count: 4}
"""
