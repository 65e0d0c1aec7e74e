-- PPF and NPG monitoring: Public perceptions of crime in local area.
-- Crime Survey for England and Wales estimates for England and Wales, with 95% intervals.
{{ csew_measure('perception_crime_local_area_reduced') }}
