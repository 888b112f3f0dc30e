"""One RPO/RTO model shared by assess, validate, render (README table) and lint (DR020).

The figures live in ``policies/objectives.yaml``, each with its public source.
"""

from drgen.objectives.check import cheapest_fix, check_objectives
from drgen.objectives.figures import Figure, Range, load_figures
from drgen.objectives.from_spec import assess_spec
from drgen.objectives.model import Assessment, ComponentEstimate
from drgen.objectives.option import parse_objectives_option
from drgen.objectives.report import assessment_markdown, assessment_text, assessment_to_json

__all__ = [
    "Assessment",
    "ComponentEstimate",
    "Figure",
    "Range",
    "assess_spec",
    "assessment_markdown",
    "assessment_text",
    "assessment_to_json",
    "cheapest_fix",
    "check_objectives",
    "load_figures",
    "parse_objectives_option",
]
