-- Workforce by force, snapshot date and worker type, from the newest release carrying each date.
-- Grain: one row per force area (43) x snapshot date x worker type; a force or worker type with no
-- published row, or with a marker instead of a number, has a null FTE and a status saying why.
with

workforce as (

    select * from {{ ref('stg_home_office_workforce__workforce') }}
    where is_latest_vintage and reporting_body = 'police_force_area'

),

worker_types as (

    select unnest({{ var('workforce_worker_types') }}) as worker_type

),

snapshots as (

    select
        as_at,
        max(source_release) as source_release
    from workforce
    group by as_at

),

published as (

    select
        workforce.force_id,
        workforce.as_at,
        worker_types.worker_type,
        sum(workforce.fte) as fte,
        sum(workforce.headcount) as headcount,
        count(*) as published_rows,
        count(workforce.fte) as rows_with_fte,
        string_agg(distinct workforce.fte_status_note, '; ') as fte_notes,
        max(workforce.source_release) as source_release
    from workforce
    inner join worker_types
        on lower(workforce.worker_type) = lower(worker_types.worker_type)
    group by workforce.force_id, workforce.as_at, worker_types.worker_type

),

final as (

    select
        forces.force_id,
        snapshots.as_at,
        worker_types.worker_type,
        case when published.rows_with_fte = published.published_rows then published.fte end as fte,
        published.headcount,
        case
            when published.force_id is null then 'not_available'
            when published.rows_with_fte < published.published_rows then 'not_available'
            else 'ok'
        end as status,
        case
            when published.force_id is null then 'no ' || worker_types.worker_type || ' rows published for this force'
            when published.rows_with_fte < published.published_rows then 'FTE not published: ' || published.fte_notes
        end as status_note,
        coalesce(published.source_release, snapshots.source_release) as source_release
    from {{ ref('police_force_areas') }} as forces
    cross join snapshots
    cross join worker_types
    left join published
        on
            forces.force_id = published.force_id
            and snapshots.as_at = published.as_at
            and worker_types.worker_type = published.worker_type

)

select * from final
