-- PPF headline: charge/summons outcomes (type 1) for VAWG offences (proxy groups), offences recorded in the
-- rolling year.
{{ outcome_measure(
    'vawg_charge_outcomes',
    crime_groups=var('vawg_crime_groups'),
    outcome_flag='is_charge',
    as_percent=false
) }}
