-- PPF headline: charge/summons outcomes (type 1) for CSAE offences (proxy groups), offences recorded in the
-- rolling year.
{{ outcome_measure(
    'csae_charge_outcomes',
    crime_groups=var('csae_crime_groups'),
    outcome_flag='is_charge',
    as_percent=false
) }}
