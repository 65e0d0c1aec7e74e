-- The CSEW estimates each Crime Survey measure reads (seeds/csew_measure_rows.csv), with a 95%
-- interval: the published one where the table has it, else computed from the estimate p (a
-- percentage), its unweighted base n and the design factor d as p +/- 1.96 x d x sqrt(p(100 - p) / n),
-- kept within 0-100. ci_method says which. Grain: one row per measure x breakdown value x period.
with

estimates as (

    select * from {{ ref('stg_ons_csew__estimates') }}

),

mapping as (

    select * from {{ ref('csew_measure_rows') }}

),

matched as (

    select
        mapping.measure_id,
        mapping.breakdown,
        mapping.breakdown_value,
        mapping.design_factor,
        estimates.*
    from mapping
    inner join estimates
        on
            mapping.dataset = estimates.dataset
            and contains(lower(estimates.table_title), lower(mapping.table_title_contains))
            and lower(mapping.row_label) = lower(estimates.row_label)

),

computed_error as (

    select
        *,
        1.96 * design_factor * sqrt(value * (100 - value) / unweighted_base) as computed_half_width
    from matched

),

final as (

    select
        measure_id,
        breakdown,
        breakdown_value,
        period_start,
        period_end,
        'Year ending ' || strftime(period_end, '%b %Y') as period_label,
        case
            when month(period_start) = 4 and period_end = cast(period_start + interval 1 year - interval 1 day as date)
                then 'financial_year'
            else 'rolling_12_months'
        end as period_type,
        value,
        case
            when status <> 'ok' then null
            when ci_lower is not null then ci_lower
            when unweighted_base > 0 then greatest(value - computed_half_width, 0)
        end as ci_lower,
        case
            when status <> 'ok' then null
            when ci_upper is not null then ci_upper
            when unweighted_base > 0 then least(value + computed_half_width, 100)
        end as ci_upper,
        case
            when status <> 'ok' then null
            when ci_lower is not null then 'published'
            when unweighted_base > 0 then 'computed (design factor ' || cast(design_factor as varchar) || ')'
        end as ci_method,
        unweighted_base,
        status,
        status_note,
        table_id,
        table_title,
        row_label,
        source_release
    from computed_error

)

select * from final
