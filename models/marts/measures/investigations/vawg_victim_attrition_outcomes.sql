-- PPF headline: victim does not support further action (outcomes 14 and 16) for VAWG offences (proxy groups).
{{ outcome_measure(
    'vawg_victim_attrition_outcomes',
    crime_groups=var('vawg_crime_groups'),
    outcome_flag='is_victim_attrition',
    as_percent=false
) }}
