-- PPF and NPG monitoring: Repeat victimisation of street crime.
-- Crime Survey for England and Wales estimates for England and Wales, with 95% intervals.
{{ csew_measure('street_crime_repeat_victimisation') }}
