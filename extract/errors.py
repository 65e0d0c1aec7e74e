"""Errors every loader raises, so the command line can report them in one line and load nothing."""

from __future__ import annotations


class MalformedFileError(ValueError):
    """A published file that does not have the published layout. The message names the file, the sheet
    or line, and the problem."""
