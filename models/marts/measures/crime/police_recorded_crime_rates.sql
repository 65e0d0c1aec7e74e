-- PPF Crime headline: recorded crime per 1,000 residents for every offence group the Crime topic lists
-- (crime_groups seed; proxies where the open data cannot meet the definition), by rolling year.
{{ recorded_crime_measure(
    'police_recorded_crime_rates',
    crime_groups=var('crime_rate_groups'),
    per_1000_population=true
) }}
