"""The work one root's static evaluation may do, so small hostile input cannot hang lint.

Every token read, ``for`` iteration, function argument and result, template and
comparison spends from one budget shared by all module instances of a root. Once it
runs out every further value of that root is UNKNOWN (reported as DR009 under
``--strict``), in constant time per expression.
"""

from __future__ import annotations

from collections.abc import Iterable

ROOT_EVALUATION_STEPS = 2_000_000  # a large real root spends a few hundred thousand
_CHARACTERS_PER_STEP = 16  # so the longest string a root can build is about 32 MB


class BudgetExceeded(Exception):
    """The root's evaluation budget is spent: the value being computed is UNKNOWN."""


class EvaluationBudget:
    """A countdown of evaluation steps; ``exhausted`` stays True once it ran out."""

    def __init__(self, steps: int = ROOT_EVALUATION_STEPS) -> None:
        self.remaining = steps
        self.exhausted = False
        self.too_deep = False  # an expression nested past Python's recursion limit

    def spend(self, steps: int = 1) -> None:
        """Take ``steps`` from the budget; raises BudgetExceeded when there are not enough."""
        self.remaining -= steps
        if self.remaining < 0:
            self.remaining = 0
            self.exhausted = True
            raise BudgetExceeded

    def afford(self, steps: int = 1) -> bool:
        """``spend`` for callers outside an expression: False instead of raising."""
        try:
            self.spend(steps)
        except BudgetExceeded:
            return False
        return True

    def afford_walk(self, value: object) -> bool:
        """``spend_on`` for callers outside an expression: False instead of raising."""
        try:
            self.spend_on(value)
        except BudgetExceeded:
            return False
        return True

    def spend_on(self, value: object) -> None:
        """Spend one step per node of ``value`` (lists, maps, strings by length).

        The walk itself stops as soon as the budget does, so a value built by sharing
        (a list holding the same huge list twice, again and again) costs no more than
        what is left.
        """
        pending: list[object] = [value]
        while pending:
            item = pending.pop()
            if isinstance(item, str):
                self.spend(1 + len(item) // _CHARACTERS_PER_STEP)
            elif isinstance(item, dict):
                self.spend(1 + len(item))
                pending.extend(_values(item.values()))
            elif isinstance(item, list):
                self.spend(1 + len(item))
                pending.extend(_values(item))
            else:
                self.spend(1)


def _values(items: Iterable[object]) -> list[object]:
    """The containers and strings among ``items`` (scalars were paid for by their parent)."""
    return [i for i in items if isinstance(i, (str, list, dict))]
