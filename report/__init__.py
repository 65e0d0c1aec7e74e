"""The static HTML report of a release (see report/site.py)."""
