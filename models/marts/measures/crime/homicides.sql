-- PPF Crime headline: homicides recorded by the police, by force and rolling year.
{{ recorded_crime_measure('homicides', crime_groups=['homicide']) }}
