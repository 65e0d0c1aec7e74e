-- One row per measure x force x period x breakdown x unit of fct_measure_values: the value against
-- the same period a year earlier (direction of travel), the target, the most similar group, England
-- and Wales, and the force's rank. Generic over every measure: nothing here names one.
--
-- Every comparison stays within one measure, so the model is incremental by measure: a run
-- reassesses only the measures whose rows in fct_measure_values changed (their fingerprint differs
-- from the one recorded with their assessment). Code and seed changes rebuild it whole.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='measure_id',
        on_schema_change='fail'
    )
}}

with

measure_fingerprints as (

    select
        measure_id,
        -- the table alias stands for the whole row
        sum(cast(hash(measure_rows) as hugeint)) as measure_values_fingerprint
    from {{ ref('fct_measure_values') }} as measure_rows  -- noqa: AL05
    group by measure_id

),

changed_measures as (

    select * from measure_fingerprints
    {% if is_incremental() -%}
        where measure_values_fingerprint not in (
            select distinct assessed_before.measure_values_fingerprint
            from {{ this }} as assessed_before
            where assessed_before.measure_id = measure_fingerprints.measure_id
        )
    {%- endif %}

),

measure_values as (

    select * from {{ ref('fct_measure_values') }}
    where measure_id in (select changed_measures.measure_id from changed_measures)

),

catalogue as (

    select * from {{ ref('framework_measures') }}

),

similar_forces as (

    select * from {{ ref('most_similar_groups') }}

),

with_year_earlier as (

    select
        measure_values.*,
        earlier.period_label as year_earlier_period_label,
        earlier.value as year_earlier_value,
        earlier.numerator as year_earlier_numerator,
        earlier.ci_lower as year_earlier_ci_lower,
        earlier.ci_upper as year_earlier_ci_upper,
        earlier.status as year_earlier_status,
        earlier.status_note as year_earlier_status_note
    from measure_values
    left join measure_values as earlier
        on
            measure_values.measure_id = earlier.measure_id
            and measure_values.force_id = earlier.force_id
            and measure_values.period_type = earlier.period_type
            and measure_values.breakdown = earlier.breakdown
            and measure_values.breakdown_value = earlier.breakdown_value
            and measure_values.unit = earlier.unit
            and earlier.period_start = cast(measure_values.period_start - interval 12 month as date)

),

with_catalogue as (

    select
        with_year_earlier.*,
        catalogue.improvement_direction,
        catalogue.is_survey_estimate,
        catalogue.target_type,
        catalogue.baseline_value as catalogue_baseline_value,
        catalogue.baseline_date,
        with_year_earlier.value - with_year_earlier.year_earlier_value as change,
        100.0 * (with_year_earlier.value - with_year_earlier.year_earlier_value)
        / nullif(with_year_earlier.year_earlier_value, 0) as change_percent,
        -- a 95% interval is estimate +/- 1.96 standard errors; the change is significant when it
        -- exceeds 1.96 standard errors of the difference of two independent estimates
        abs(with_year_earlier.value - with_year_earlier.year_earlier_value) > 1.96 * sqrt(
            power((with_year_earlier.ci_upper - with_year_earlier.ci_lower) / (2 * 1.96), 2)
            + power((with_year_earlier.year_earlier_ci_upper - with_year_earlier.year_earlier_ci_lower) / (2 * 1.96), 2)
        ) as is_change_significant,
        case
            when with_year_earlier.unit = 'count'
                then least(with_year_earlier.value, with_year_earlier.year_earlier_value)
            else least(with_year_earlier.numerator, with_year_earlier.year_earlier_numerator)
        end as smaller_base,
        -- England and Wales rows may be partial totals (status incomplete): comparable only when the
        -- two periods leave out the same forces, which their status notes name
        (with_year_earlier.status <> 'ok' or with_year_earlier.year_earlier_status <> 'ok')
        and coalesce(with_year_earlier.status_note, '') <> coalesce(with_year_earlier.year_earlier_status_note, '')
            as have_different_coverage
    from with_year_earlier
    left join catalogue
        on with_year_earlier.measure_id = catalogue.measure_id

),

assessed as (

    select
        *,
        case
            when value is null then 'not assessed'
            when year_earlier_value is null then 'not assessed'
            when status = 'break_in_series' then 'not assessed'
            when have_different_coverage then 'not assessed'
            when improvement_direction = 'none' then 'not assessed'
            when is_survey_estimate and (ci_lower is null or year_earlier_ci_lower is null) then 'not assessed'
            when is_survey_estimate and not is_change_significant then 'no significant change'
            when not is_survey_estimate and smaller_base < {{ var('assessment_minimum_base') }} then 'not assessed'
            when change = 0 then 'no change'
            when (change > 0) = (improvement_direction = 'increase') then 'improving'
            else 'deteriorating'
        end as direction_of_travel,
        case
            when value is null then 'no value for this period (' || status || ')'
            when year_earlier_value is null then 'no value for the same period a year earlier'
            when status = 'break_in_series'
                then 'break in series: ' || coalesce(status_note, 'see seeds/data_breaks.csv')
            when have_different_coverage
                then 'England and Wales partial totals leave out different forces in the two periods'
            when improvement_direction = 'none' then 'monitor only: the framework sets no desired direction'
            when is_survey_estimate and (ci_lower is null or year_earlier_ci_lower is null)
                then 'survey estimate without a confidence interval'
            when is_survey_estimate and is_change_significant then 'change significant at the 95% level'
            when is_survey_estimate then 'change not significant at the 95% level'
            when smaller_base < {{ var('assessment_minimum_base') }}
                then 'fewer than {{ var("assessment_minimum_base") }} in one of the two periods'
        end as assessment_note
    from with_catalogue

),

baselines as (

    select
        measure_values.measure_id,
        measure_values.force_id,
        measure_values.breakdown,
        measure_values.breakdown_value,
        measure_values.unit,
        measure_values.value as baseline_value
    from measure_values
    inner join catalogue
        on
            measure_values.measure_id = catalogue.measure_id
            and measure_values.period_end = catalogue.baseline_date

),

with_target as (

    select
        assessed.*,
        coalesce(
            baselines.baseline_value,
            case when assessed.force_id = 'K04000001' then assessed.catalogue_baseline_value end
        ) as baseline_value_used
    from assessed
    left join baselines
        on
            assessed.measure_id = baselines.measure_id
            and assessed.force_id = baselines.force_id
            and assessed.breakdown = baselines.breakdown
            and assessed.breakdown_value = baselines.breakdown_value
            and assessed.unit = baselines.unit

),

msg_averages as (

    select
        measure_values.measure_id,
        similar_forces.force_id,
        measure_values.period_type,
        measure_values.period_start,
        measure_values.breakdown,
        measure_values.breakdown_value,
        measure_values.unit,
        min(similar_forces.group_vintage) as msg_vintage,
        count(*) as msg_forces_included,
        -- rates and proportions: the group's own rate (sum of numerators over sum of denominators,
        -- weighted by size, as the HMICFRS value-for-money dashboards do); counts: the simple mean.
        -- Summed as decimals: double sums depend on the order the join delivers the rows in, and
        -- moved in their last digits from one build to the next.
        case
            when count(measure_values.denominator) = count(*) and measure_values.unit = 'rate_per_1000'
                then
                    1000.0 * sum({{ exact('measure_values.numerator') }})
                    / nullif(sum({{ exact('measure_values.denominator') }}), 0)
            when count(measure_values.denominator) = count(*) and measure_values.unit = 'percent'
                then
                    100.0 * sum({{ exact('measure_values.numerator') }})
                    / nullif(sum({{ exact('measure_values.denominator') }}), 0)
            else avg({{ exact('measure_values.value') }})
        end as msg_average
    from similar_forces
    inner join measure_values
        on similar_forces.similar_force_id = measure_values.force_id
    -- a break in series affects every force alike: such values still compare across forces
    where measure_values.status in ('ok', 'break_in_series')
    group by
        measure_values.measure_id,
        similar_forces.force_id,
        measure_values.period_type,
        measure_values.period_start,
        measure_values.breakdown,
        measure_values.breakdown_value,
        measure_values.unit

),

rankable as (

    select
        *,
        force_id <> 'K04000001' and force_id <> '{{ var("city_of_london_force_id") }}'
        and status in ('ok', 'break_in_series') and unit <> 'count' as is_ranked
    from with_target

),

ranked as (

    select
        *,
        case
            when is_ranked
                then rank() over (
                    partition by measure_id, period_type, period_start, breakdown, breakdown_value, unit, is_ranked
                    order by case when improvement_direction = 'decrease' then value else -value end
                )
        end as force_rank,
        nullif(count(*) filter (where is_ranked) over (
            partition by measure_id, period_type, period_start, breakdown, breakdown_value, unit
        ), 0) as forces_ranked
    from rankable

),

final as (

    select
        ranked.measure_id,
        ranked.force_id,
        ranked.force_name,
        ranked.period_type,
        ranked.period_start,
        ranked.period_end,
        ranked.period_label,
        ranked.breakdown,
        ranked.breakdown_value,
        ranked.unit,
        ranked.value,
        ranked.status,
        ranked.ci_lower,
        ranked.ci_upper,
        ranked.desired_direction,
        ranked.improvement_direction,
        ranked.year_earlier_period_label,
        ranked.year_earlier_value,
        ranked.year_earlier_status,
        ranked.change,
        ranked.change_percent,
        ranked.is_change_significant,
        ranked.direction_of_travel,
        ranked.assessment_note,
        ranked.target_type,
        ranked.target,
        ranked.baseline_value_used as baseline_value,
        case
            when ranked.target_type is null or ranked.target_type = 'none' then 'no target'
            when ranked.value is null then 'not assessed'
            when ranked.target_type = 'threshold'
                then case
                    when (ranked.improvement_direction = 'decrease') = (ranked.value <= ranked.target)
                        then 'met'
                    else 'not met'
                end
            when ranked.baseline_value_used is null then 'no baseline'
            when ranked.target_type = 'increase_from_baseline' and ranked.force_id <> 'K04000001'
                then 'national target: force change from baseline only'
            when ranked.target_type = 'increase_from_baseline'
                then case when ranked.value - ranked.baseline_value_used >= ranked.target then 'met' else 'not met' end
            when ranked.target_type = 'reduction_from_baseline'
                then case
                    when ranked.value <= ranked.baseline_value_used * (1 - ranked.target / 100.0) then 'met'
                    else 'not met'
                end
        end as target_status,
        case
            when ranked.target_type = 'threshold' then ranked.value / nullif(ranked.target, 0)
            when ranked.target_type = 'increase_from_baseline'
                then (ranked.value - ranked.baseline_value_used) / nullif(ranked.target, 0)
            when ranked.target_type = 'reduction_from_baseline'
                then
                    (ranked.baseline_value_used - ranked.value)
                    / nullif(ranked.baseline_value_used * ranked.target / 100.0, 0)
        end as progress_to_target,
        msg_averages.msg_average,
        msg_averages.msg_forces_included,
        msg_averages.msg_vintage,
        england_and_wales.value as england_and_wales_value,
        ranked.force_rank,
        ranked.forces_ranked,
        case
            when ranked.is_ranked then null
            when ranked.force_id = 'K04000001' then 'England and Wales is not ranked'
            when ranked.force_id = '{{ var("city_of_london_force_id") }}'
                then 'City of London is not ranked: its resident population is too small for comparable rates'
            when ranked.status not in ('ok', 'break_in_series') then 'not ranked: data ' || ranked.status
            when ranked.unit = 'count' then 'counts are not ranked: forces differ in size'
        end as rank_note,
        ranked.source_release,
        changed_measures.measure_values_fingerprint
    from ranked
    inner join changed_measures
        on ranked.measure_id = changed_measures.measure_id
    left join msg_averages
        on
            ranked.measure_id = msg_averages.measure_id
            and ranked.force_id = msg_averages.force_id
            and ranked.period_type = msg_averages.period_type
            and ranked.period_start = msg_averages.period_start
            and ranked.breakdown = msg_averages.breakdown
            and ranked.breakdown_value = msg_averages.breakdown_value
            and ranked.unit = msg_averages.unit
    left join measure_values as england_and_wales
        on
            ranked.measure_id = england_and_wales.measure_id
            and england_and_wales.force_id = 'K04000001'
            and ranked.period_type = england_and_wales.period_type
            and ranked.period_start = england_and_wales.period_start
            and ranked.breakdown = england_and_wales.breakdown
            and ranked.breakdown_value = england_and_wales.breakdown_value
            and ranked.unit = england_and_wales.unit

)

select * from final
