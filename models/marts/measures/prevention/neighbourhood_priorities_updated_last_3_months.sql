-- NPG headline: % of a force's neighbourhoods whose priorities were raised or acted on in the 3 months
-- before the fetch (up-to-date priorities), from the data.police.uk API.
{{ neighbourhood_share_measure(
    'neighbourhood_priorities_updated_last_3_months', 'has_priorities_updated_last_3_months'
) }}
