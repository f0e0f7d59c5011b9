""""You told us, we are doing": the page for all staff, from ``survey.all_staff``.

Public (anyone who can open the site) when the survey's ``all_staff`` option is "public"; no
page when it is "off". It shows aggregates only, so it needs no key.
"""

from __future__ import annotations

import jinja2

from ..programs.pages import GeneratedFile
from ..survey import Scores
from ..survey import format as fmt
from ..survey.all_staff import all_staff_view

PATH = "you-told-us.md"
TEMPLATE = "all_staff.md.j2"


def all_staff_files(scores: Scores | None, env: jinja2.Environment) -> list[GeneratedFile]:
    if scores is None or scores.data.inputs.all_staff == "off":
        return []
    view = all_staff_view(scores)
    return [GeneratedFile(PATH, env.get_template(TEMPLATE).render(v=view, fmt=fmt,
                                                                   label_of=lambda m: fmt.nearest_label(m, scores.data.questionnaire.scale)))]
