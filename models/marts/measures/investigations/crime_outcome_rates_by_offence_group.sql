-- PPF Investigations monitoring: outcomes by offence group and outcome type or group as a percentage of
-- the offences recorded in the rolling year.
{{ outcomes_by_type_measure('crime_outcome_rates_by_offence_group', as_percent=true) }}
