"""Kommuneundersøgelsen 2020: load, validate, tabulate and verify the survey behind the book."""

__version__ = "0.1.0"
