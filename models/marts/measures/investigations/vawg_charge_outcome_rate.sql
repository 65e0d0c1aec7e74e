-- PPF monitoring: charge/summons outcomes as a percentage of VAWG offences (proxy groups) recorded in the
-- rolling year.
{{ outcome_measure(
    'vawg_charge_outcome_rate',
    crime_groups=var('vawg_crime_groups'),
    outcome_flag='is_charge',
    as_percent=true
) }}
