-- PPF monitoring: outcomes 14 and 16 as a percentage of CSAE offences (proxy groups) recorded in the rolling
-- year.
{{ outcome_measure(
    'csae_victim_attrition_outcome_rate',
    crime_groups=var('csae_crime_groups'),
    outcome_flag='is_victim_attrition',
    as_percent=true
) }}
