-- PPF monitoring: victim does not support further action (outcomes 14 and 16) for CSAE offences (proxy
-- groups).
{{ outcome_measure(
    'csae_victim_attrition_outcomes',
    crime_groups=var('csae_crime_groups'),
    outcome_flag='is_victim_attrition',
    as_percent=false
) }}
