-- PPF Investigations headline: outcomes by offence group (every crime group of the Crime topic) and by
-- outcome type and outcome group, for offences recorded in the rolling year.
{{ outcomes_by_type_measure('crime_outcomes_by_offence_group') }}
