{{ home_office_workforce_staging(
    'joiners_leavers',
    text_columns=['geocode', 'region', 'worker_type', 'sex', 'rank', 'movement', 'leaver_type'],
    count_columns=['headcount', 'fte'],
    period_column='year_ending',
) }}
