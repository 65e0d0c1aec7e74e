{{ home_office_workforce_staging(
    'absence',
    text_columns=['geocode', 'region', 'worker_type', 'sex', 'absence_type'],
    count_columns=['headcount', 'fte'],
) }}
