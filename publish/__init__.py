"""Publication: a release of the measure tables, the catalogue and the assessment marts, only from a
warehouse the quality gate has passed (see publish/release.py)."""
