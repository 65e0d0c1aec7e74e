-- Every force-quarter of police_recorded_asb_incidents marked ok, recounted straight from the staged
-- street rows (bypassing the intermediate models): the value must equal the ASB rows loaded.
with

measure as (

    select
        force_id,
        period_start,
        value
    from {{ ref('police_recorded_asb_incidents') }}
    where unit = 'count' and status = 'ok' and force_id <> 'K04000001'

),

recount as (

    select
        forces.force_id,
        cast(date_trunc('quarter', street.file_month) as date) as period_start,
        count(*) as asb_rows
    from {{ ref('stg_police_uk__street_crimes') }} as street
    inner join {{ ref('police_force_areas') }} as forces
        on street.force_slug = forces.police_uk_slug
    where street.is_anti_social_behaviour
    group by forces.force_id, cast(date_trunc('quarter', street.file_month) as date)

),

final as (

    select
        measure.force_id,
        measure.period_start,
        measure.value,
        recount.asb_rows
    from measure
    left join recount
        on measure.force_id = recount.force_id and measure.period_start = recount.period_start
    where measure.value is distinct from coalesce(recount.asb_rows, 0)

)

select * from final
