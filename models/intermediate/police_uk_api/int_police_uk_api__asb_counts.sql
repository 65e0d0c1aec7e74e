-- ASB incidents counted from the data.police.uk API for the months it was asked about (those beyond
-- the loaded archive). Grain: one row per force area x month the API was asked for. A force is counted
-- over its neighbourhoods' areas, so a force the API lists no neighbourhoods for cannot be counted, and
-- a force with no incident in any area is taken as not having supplied the month (missing, not zero).
with

forces as (

    select * from {{ ref('police_force_areas') }}

),

fetches as (

    select * from {{ ref('stg_police_uk_api__asb_fetches') }}
    where force_id is not null

),

incidents as (

    select
        force_slug,
        month_start,
        count(*) as recorded_count
    from {{ ref('stg_police_uk_api__asb_incidents') }}
    where is_located_by_force
    group by force_slug, month_start

),

asked_months as (

    select
        month_start,
        max(last_updated) as last_updated
    from fetches
    group by month_start

),

force_month_spine as (

    select
        forces.force_id,
        forces.police_uk_slug,
        asked_months.month_start,
        asked_months.last_updated,
        'street' as dataset
    from forces
    cross join asked_months

),

matched_gaps as (

    {{ police_uk_known_gap_notes('force_month_spine', 'police_uk_slug', 'dataset', 'month_start') }}

),

final as (

    select
        force_month_spine.force_id,
        force_month_spine.month_start,
        case
            when fetches.force_slug is not null and coalesce(incidents.recorded_count, 0) > 0
                then incidents.recorded_count
        end as recorded_count,
        case
            when fetches.force_slug is null or coalesce(incidents.recorded_count, 0) = 0 then 'not_available'
            when matched_gaps.gap_note is not null or fetches.neighbourhoods_without_boundary > 0 then 'incomplete'
            else 'ok'
        end as status,
        case
            when matched_gaps.gap_note is not null then matched_gaps.gap_note
            when fetches.force_slug is null
                then
                    'the data.police.uk API lists no neighbourhoods for this force, so its ASB cannot be '
                    || 'counted by area'
            when coalesce(incidents.recorded_count, 0) = 0
                then
                    'the data.police.uk API returned no ASB in any of the force''s neighbourhood areas: '
                    || 'taken as not supplied, not as zero'
            when fetches.neighbourhoods_without_boundary > 0
                then
                    cast(fetches.neighbourhoods_without_boundary as varchar) || ' of '
                    || cast(fetches.neighbourhoods as varchar) || ' neighbourhoods have no boundary in the API'
        end as status_note,
        'data.police.uk API, crime-last-updated '
        || strftime(coalesce(fetches.last_updated, force_month_spine.last_updated), '%Y-%m-%d') as source_release
    from force_month_spine
    left join fetches
        on
            force_month_spine.police_uk_slug = fetches.force_slug
            and force_month_spine.month_start = fetches.month_start
    left join incidents
        on
            force_month_spine.police_uk_slug = incidents.force_slug
            and force_month_spine.month_start = incidents.month_start
    left join matched_gaps
        on
            force_month_spine.police_uk_slug = matched_gaps.police_uk_slug
            and force_month_spine.month_start = matched_gaps.month_start

)

select * from final
