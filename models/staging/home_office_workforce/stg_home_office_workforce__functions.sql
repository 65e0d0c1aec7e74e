{{ home_office_workforce_staging(
    'functions',
    text_columns=[
        'geocode', 'region', 'worker_type', 'ethnicity_5_plus_1', 'ethnicity_3_plus_1', 'sex',
        'function_subgroup_number', 'function_subgroup_name', 'wider_function_number',
        'wider_function_name', 'frontline_type'
    ],
    count_columns=['fte'],
) }}
