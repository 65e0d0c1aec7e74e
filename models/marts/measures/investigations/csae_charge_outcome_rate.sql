-- PPF headline: charge/summons outcomes as a percentage of CSAE offences (proxy groups) recorded in the
-- rolling year.
{{ outcome_measure(
    'csae_charge_outcome_rate',
    crime_groups=var('csae_crime_groups'),
    outcome_flag='is_charge',
    as_percent=true
) }}
