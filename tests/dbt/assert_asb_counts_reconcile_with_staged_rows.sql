-- Every force-quarter of police_recorded_asb_incidents marked ok, recounted straight from the staged
-- street rows and, for months after the archive's last, the staged API incidents located by the force
-- (bypassing the intermediate models): the value must equal the ASB rows loaded.
with

measure as (

    select
        force_id,
        period_start,
        value
    from {{ ref('police_recorded_asb_incidents') }}
    where unit = 'count' and status = 'ok' and force_id <> 'K04000001'

),

asb_rows as (

    select
        force_slug,
        file_month as month_start
    from {{ ref('stg_police_uk__street_crimes') }}
    where is_anti_social_behaviour
    union all
    select
        force_slug,
        month_start
    from {{ ref('stg_police_uk_api__asb_incidents') }}
    where
        is_located_by_force
        and month_start > (
            select max(published.file_month) from {{ ref('stg_police_uk__published_files') }} as published
            where published.dataset = 'street'
        )

),

recount as (

    select
        forces.force_id,
        cast(date_trunc('quarter', asb_rows.month_start) as date) as period_start,
        count(*) as asb_rows
    from asb_rows
    inner join {{ ref('police_force_areas') }} as forces
        on asb_rows.force_slug = forces.police_uk_slug
    group by forces.force_id, cast(date_trunc('quarter', asb_rows.month_start) as date)

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
