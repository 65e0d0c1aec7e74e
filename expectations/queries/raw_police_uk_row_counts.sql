-- One row per police.uk dataset x force x month x load (loaded_at): what the rows loaded by that
-- load hold, counted for the raw_police_uk suite. Only rows loaded after {loaded_after} are read: the
-- gate keeps the counts of earlier loads beside the warehouse (validate.py), so a refresh counts the
-- new month's rows, not three years of them.
with

street as (

    select
        'street' as dataset,
        force_slug,
        file_month,
        loaded_at,
        count(*) as rows_loaded,
        count(*) filter (where crime_type is null) as rows_without_key_field,
        count(*) filter (where crime_type = 'Anti-social behaviour' and crime_id is not null) as asb_rows_with_crime_id,
        count(*) filter (
            where crime_type <> 'Anti-social behaviour' and crime_id is null and force_slug <> 'btp'
        ) as crime_rows_without_crime_id,
        count(*) filter (where crime_type not in (select crime_type from reference.police_uk_crime_types))
            as rows_with_unknown_code,
        count(*) filter (where month is distinct from file_month) as rows_for_other_month,
        count(*) filter (where longitude is null) as rows_without_location,
        count(*) filter (
            where longitude not between -8.7 and 1.8 or latitude not between 49.8 and 60.9
        ) as rows_outside_great_britain
    from raw_police_uk.street
    where loaded_at > {loaded_after}
    group by force_slug, file_month, loaded_at

),

outcomes as (

    select
        'outcomes' as dataset,
        force_slug,
        file_month,
        loaded_at,
        count(*) as rows_loaded,
        count(*) filter (where outcome_type is null or crime_id is null) as rows_without_key_field,
        0 as asb_rows_with_crime_id,
        0 as crime_rows_without_crime_id,
        0 as rows_with_unknown_code,
        count(*) filter (where month is distinct from file_month) as rows_for_other_month,
        count(*) filter (where longitude is null) as rows_without_location,
        count(*) filter (
            where longitude not between -8.7 and 1.8 or latitude not between 49.8 and 60.9
        ) as rows_outside_great_britain
    from raw_police_uk.outcomes
    where loaded_at > {loaded_after}
    group by force_slug, file_month, loaded_at

),

stop_and_search as (

    select
        'stop_and_search' as dataset,
        force_slug,
        file_month,
        loaded_at,
        count(*) as rows_loaded,
        count(*) filter (where type is null or date is null) as rows_without_key_field,
        0 as asb_rows_with_crime_id,
        0 as crime_rows_without_crime_id,
        count(*) filter (
            where type not in ('Person search', 'Person and Vehicle search', 'Vehicle search')
        ) as rows_with_unknown_code,
        -- a search just after midnight can fall in the previous month in UTC: not checked here
        0 as rows_for_other_month,
        count(*) filter (where longitude is null) as rows_without_location,
        count(*) filter (
            where longitude not between -8.7 and 1.8 or latitude not between 49.8 and 60.9
        ) as rows_outside_great_britain
    from raw_police_uk.stop_and_search
    where loaded_at > {loaded_after}
    group by force_slug, file_month, loaded_at

),

final as (

    select * from street
    union all
    select * from outcomes
    union all
    select * from stop_and_search

)

select * from final
