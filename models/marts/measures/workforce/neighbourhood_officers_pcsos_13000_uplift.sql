-- PPF and NPG key measure: progress toward 13,000 additional neighbourhood police officers and
-- PCSOs (FTE). By force and snapshot date (31 March and 30 September):
--   breakdown worker_type: FTE in neighbourhood roles (function subgroups in
--     var('neighbourhood_function_subgroups') within Local policing) for Police Officer, PCSO and both;
--   breakdown change_from_baseline: the same, less the catalogue's baseline date (31 March 2025),
--     from the baseline date on;
--   breakdown progress_to_target: England and Wales only, the change as a % of the catalogue's
--     target (13,000 FTE); the target is national, so force rows say so instead of a value.
with

catalogue as (

    select
        cast(target_value as double) as target_fte,
        cast(baseline_date as date) as baseline_date
    from {{ ref('framework_measures') }}
    where measure_id = 'neighbourhood_officers_pcsos_13000_uplift'

),

neighbourhood as (

    select * from {{ ref('int_home_office_workforce__function_fte') }}
    where worker_type in ('Police Officer', 'PCSO')

),

levels as (

    -- every force-date with a functions row, so a force without neighbourhood roles shows 0 FTE
    select
        force_id,
        as_at,
        worker_type,
        case when bool_and(status = 'ok') then coalesce(sum(fte) filter (where is_neighbourhood_role), 0) end
            as fte,
        max(source_release) as source_release
    from neighbourhood
    group by force_id, as_at, worker_type

    union all

    select
        force_id,
        as_at,
        'Officers and PCSOs' as worker_type,
        case when bool_and(status = 'ok') then coalesce(sum(fte) filter (where is_neighbourhood_role), 0) end
            as fte,
        max(source_release) as source_release
    from neighbourhood
    group by force_id, as_at

),

level_cells as (

    select
        force_id,
        as_at as period_date,
        'worker_type' as breakdown,
        worker_type as breakdown_value,
        fte as value,
        cast(null as double) as numerator,
        cast(null as double) as denominator,
        case when fte is not null then 'ok' else 'not_available' end as status,
        case when fte is null then 'FTE not published for every function row' end as status_note,
        source_release
    from levels

),

change_cells as (

    select
        later.force_id,
        later.as_at as period_date,
        'change_from_baseline' as breakdown,
        later.worker_type as breakdown_value,
        later.fte - baseline.fte as value,
        cast(null as double) as numerator,
        cast(null as double) as denominator,
        case when later.fte is not null and baseline.fte is not null then 'ok' else 'not_available' end as status,
        case
            when baseline.force_id is null then 'no baseline: nothing published for the baseline date'
            when later.fte is null or baseline.fte is null then 'FTE not published at this date or the baseline'
        end as status_note,
        later.source_release || '; baseline ' || coalesce(cast(catalogue.baseline_date as varchar), 'none')
            as source_release
    from levels as later
    cross join catalogue
    left join levels as baseline
        on
            later.force_id = baseline.force_id
            and later.worker_type = baseline.worker_type
            and catalogue.baseline_date = baseline.as_at
    where later.as_at >= catalogue.baseline_date

),

cells as (

    select * from level_cells
    union all
    select * from change_cells

),

force_levels as (

    {{ workforce_force_rows(
        'cells', 'fte', 'Home Office police workforce open data tables (functions)',
        zero_when_absent=true,
    ) }}

),

england_and_wales_levels as (

    {{ england_and_wales_total('force_levels') }}

),

progress_force_rows as (

    select
        force_id,
        period_start,
        period_end,
        period_type,
        period_label,
        'progress_to_target' as breakdown,
        breakdown_value,
        cast(null as double) as value,
        'percent' as unit,
        cast(null as double) as numerator,
        cast(null as double) as denominator,
        'not_available' as status,
        'the 13,000 target is national; no force allocations are published' as status_note,
        source,
        source_release
    from force_levels
    where breakdown = 'change_from_baseline' and breakdown_value = 'Officers and PCSOs'

),

progress_england_and_wales as (

    select
        change.force_id,
        change.period_start,
        change.period_end,
        change.period_type,
        change.period_label,
        'progress_to_target' as breakdown,
        change.breakdown_value,
        100.0 * change.value / catalogue.target_fte as value,
        'percent' as unit,
        change.value as numerator,
        catalogue.target_fte as denominator,
        change.status,
        change.status_note,
        change.source,
        change.source_release || '; target ' || cast(catalogue.target_fte as varchar) || ' FTE' as source_release
    from england_and_wales_levels as change
    cross join catalogue
    where change.breakdown = 'change_from_baseline' and change.breakdown_value = 'Officers and PCSOs'

),

measure_values as (

    select * from force_levels
    union all
    select * from england_and_wales_levels
    union all
    select * from progress_force_rows
    union all
    select * from progress_england_and_wales

),

final as (

    {{ measure_contract('neighbourhood_officers_pcsos_13000_uplift', 'measure_values') }}

)

select * from final
