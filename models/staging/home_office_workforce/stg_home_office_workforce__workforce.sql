{{ home_office_workforce_staging(
    'workforce',
    text_columns=['geocode', 'region', 'sex', 'rank', 'worker_type'],
    count_columns=['headcount', 'fte'],
) }}
