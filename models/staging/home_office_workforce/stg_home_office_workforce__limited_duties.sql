{{ home_office_workforce_staging(
    'limited_duties',
    text_columns=['geocode', 'region', 'worker_type', 'sex', 'rank', 'duty_type'],
    count_columns=['headcount', 'fte'],
) }}
