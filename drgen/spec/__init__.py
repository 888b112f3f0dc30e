"""Load, validate and type DR specs."""

from drgen.spec.loader import load_spec
from drgen.spec.model import Spec

__all__ = ["Spec", "load_spec"]
