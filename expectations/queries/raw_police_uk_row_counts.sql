-- One row per police.uk dataset x force x month x load (loaded_at): what the rows loaded by that
-- load hold, counted for the raw_police_uk suite. Only rows loaded after {loaded_after} are read: the
-- gate keeps the counts of earlier loads beside the warehouse (validate.py), so a refresh counts the
-- new month's rows, not three years of them. Each table states its own rules as flags on its rows;
-- the rules every dataset shares (coordinates) and the counting are written once, in final.
with

street_rows as (

    select
        'street' as dataset,
        force_slug,
        file_month,
        loaded_at,
        longitude,
        latitude,
        crime_type is null as is_without_key_field,
        crime_type = 'Anti-social behaviour' and crime_id is not null as is_asb_with_crime_id,
        crime_type <> 'Anti-social behaviour' and crime_id is null and force_slug <> 'btp'
            as is_crime_without_crime_id,
        crime_type not in (select crime_type from reference.police_uk_crime_types) as is_unknown_code,
        month is distinct from file_month as is_for_other_month
    from raw_police_uk.street
    where loaded_at > {loaded_after}

),

outcome_rows as (

    select
        'outcomes' as dataset,
        force_slug,
        file_month,
        loaded_at,
        longitude,
        latitude,
        outcome_type is null or crime_id is null as is_without_key_field,
        false as is_asb_with_crime_id,
        false as is_crime_without_crime_id,
        false as is_unknown_code,
        month is distinct from file_month as is_for_other_month
    from raw_police_uk.outcomes
    where loaded_at > {loaded_after}

),

stop_and_search_rows as (

    select
        'stop_and_search' as dataset,
        force_slug,
        file_month,
        loaded_at,
        longitude,
        latitude,
        type is null or date is null as is_without_key_field,
        false as is_asb_with_crime_id,
        false as is_crime_without_crime_id,
        type not in ('Person search', 'Person and Vehicle search', 'Vehicle search') as is_unknown_code,
        -- a search just after midnight can fall in the previous month in UTC: not checked here
        false as is_for_other_month
    from raw_police_uk.stop_and_search
    where loaded_at > {loaded_after}

),

loaded_rows as (

    select * from street_rows
    union all
    select * from outcome_rows
    union all
    select * from stop_and_search_rows

),

final as (

    select
        dataset,
        force_slug,
        file_month,
        loaded_at,
        count(*) as rows_loaded,
        count(*) filter (where is_without_key_field) as rows_without_key_field,
        count(*) filter (where is_asb_with_crime_id) as asb_rows_with_crime_id,
        count(*) filter (where is_crime_without_crime_id) as crime_rows_without_crime_id,
        count(*) filter (where is_unknown_code) as rows_with_unknown_code,
        count(*) filter (where is_for_other_month) as rows_for_other_month,
        count(*) filter (where longitude is null) as rows_without_location,
        count(*) filter (
            where longitude not between -8.7 and 1.8 or latitude not between 49.8 and 60.9
        ) as rows_outside_great_britain
    from loaded_rows
    group by dataset, force_slug, file_month, loaded_at

)

select * from final
