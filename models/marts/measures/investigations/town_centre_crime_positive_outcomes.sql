-- PPF headline / NPG pillar 5: positive outcomes (proxy: charge, caution, TIC, PND, cannabis/khat warning,
-- community resolution, diversion) for town-centre crime.
{{ outcome_measure(
    'town_centre_crime_positive_outcomes',
    crime_groups=var('town_centre_crime_groups'),
    outcome_flag='is_positive_outcome',
    as_percent=false
) }}
