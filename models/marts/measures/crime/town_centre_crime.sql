-- PPF Crime / NPG pillar 5 headline: all town-centre crime, split into retail crime (shop theft, robbery of
-- business property) and street crime (theft from the person, robbery of personal property).
{{ recorded_crime_measure(
    'town_centre_crime',
    crime_groups=var('town_centre_crime_groups')
) }}
