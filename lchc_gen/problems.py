"""Input problems, collected rather than raised one by one.

Every loader reports *all* problems it finds in one run, each naming the file and the
place in it, so an admin can fix a whole batch before the next build.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one input file.

    YAML inputs are located by line and field (``file:line: field: message``);
    CSV inputs by row and column (``file:row:column: message``).
    """

    path: str
    line: int
    field: str
    message: str
    cell: bool = False  # True for CSV cells: "path:row:column: message"

    def __str__(self) -> str:
        if self.cell:
            return f"{self.path}:{self.line}:{self.field}: {self.message}"
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


class InputError(Exception):
    """Raised once, after loading, when any input file has problems."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(self.report())

    def report(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the input files:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


class DisclosureError(InputError):
    """Raised when the final disclosure check finds a figure a reader could work out: nothing is
    published. Each problem names the cycle, the reader, the team and the figure."""

    def report(self) -> str:
        n = len(self.problems)
        head = (f"the disclosure check found {n} protected value{'s' if n != 1 else ''} that a reader could work out "
                "from what they can open, so nothing was published (this is a fault in lchc_gen: please report it):")
        return "\n".join([head, *(f"  {p}" for p in self.problems)])
