"""The one exception family of reportmetrics: every expected failure is a subclass of
ReportMetricsError and carries a message fit for a one-line error on stderr."""

from __future__ import annotations


class ReportMetricsError(Exception):
    """Base class for every error the library raises on purpose."""


class InputError(ReportMetricsError):
    """A document could not be read: missing, empty, binary, undecodable, too large."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem

    def __reduce__(self) -> tuple:
        # Results cross process boundaries with -j: keep the error picklable.
        return (type(self), (self.source, self.problem))


class PackError(ReportMetricsError):
    """A pattern pack is invalid (schema, regex, examples)."""


class MatchTimeout(ReportMetricsError):
    """Matching a document ran past its time budget."""


class GoldError(ReportMetricsError):
    """A gold file cannot be read."""


class NumberError(ReportMetricsError, ValueError):
    """Text that is not a quantity this library can read exactly."""
