-- PPF monitoring: Proportion of crimes reported, by offence group.
-- Crime Survey for England and Wales estimates for England and Wales, with 95% intervals.
{{ csew_measure('crimes_reported_to_police') }}
