-- PPF monitoring: positive outcomes (proxy) as a percentage of town-centre crimes recorded in the rolling
-- year.
{{ outcome_measure(
    'town_centre_crime_positive_outcome_rate',
    crime_groups=var('town_centre_crime_groups'),
    outcome_flag='is_positive_outcome',
    as_percent=true
) }}
