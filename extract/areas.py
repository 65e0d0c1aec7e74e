"""Areas data.police.uk publishes that are not one of the 43 police force areas.

A module of its own, shared by the police.uk loader and the quality gate: importing the loader's
package imports dlt, which the gate does not otherwise need.
"""

# Slugs in the archive that are not one of the 43 force areas: kept in raw, never a force area.
NON_FORCE_AREA_SLUGS = {"btp": "British Transport Police", "northern-ireland": "Police Service of Northern Ireland"}
