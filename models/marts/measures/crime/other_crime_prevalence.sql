-- PPF monitoring: Prevalence of other crimes.
-- Crime Survey for England and Wales estimates for England and Wales, with 95% intervals.
{{ csew_measure('other_crime_prevalence') }}
