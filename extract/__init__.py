"""Loaders (dlt) that land public police data in the warehouse's raw_* schemas.

One package per publisher (`extract/police_uk`, ...). Run them with `python -m extract --help`.
"""
