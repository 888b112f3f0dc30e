"""drgen: disaster-recovery architecture on AWS as code."""

__version__ = "0.2.0"
