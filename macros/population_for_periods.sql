{#-
    Adds the resident population for each force-period row of `relation` (force_id, period_start,
    period_end): the population ONS used for the same period where ONS published one (its PFA data
    tables name the vintage: year ending December 2019 rates use mid-2018), otherwise the latest
    mid-year estimate at or before the period's start (the newest edition's figure for that vintage).
    Adds population, population_vintage and population_note (why there is none).
-#}
{% macro population_for_periods(relation) %}
select
    rows_in.*,
    coalesce(same_period.population, latest_before.population) as population,
    case
        when same_period.force_id is not null
            then same_period.population_vintage || ' (as ONS used for this period: ' || same_period.source || ')'
        when latest_before.force_id is not null
            then latest_before.population_vintage || ' (' || latest_before.source || ')'
    end as population_vintage,
    case
        when same_period.force_id is not null and same_period.population is null then same_period.status_note
        when same_period.force_id is null and latest_before.force_id is null
            then 'no mid-year population estimate at or before ' || cast(rows_in.period_start as varchar)
        when same_period.force_id is null and latest_before.population is null then latest_before.status_note
    end as population_note
from {{ relation }} as rows_in
left join (
    select * from {{ ref('int_population__estimates') }}
    where ons_period_end is not null
    qualify row_number() over (
        partition by force_id, ons_period_start, ons_period_end order by source_release desc
    ) = 1
) as same_period
    on
        rows_in.force_id = same_period.force_id
        and rows_in.period_start = same_period.ons_period_start
        and rows_in.period_end = same_period.ons_period_end
asof left join (
    -- one figure per vintage: the newest publication's (ONS revises mid-year estimates)
    select * from {{ ref('int_population__estimates') }}
    qualify row_number() over (
        partition by force_id, reference_date
        order by ons_period_end desc nulls last, source_release desc
    ) = 1
) as latest_before
    on
        rows_in.force_id = latest_before.force_id
        and rows_in.period_start >= latest_before.reference_date
{% endmacro %}
