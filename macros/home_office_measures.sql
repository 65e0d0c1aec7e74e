{#-
    The model bodies of the measures computed from the Home Office tables. Each measure model is one
    call: it states which crime groups (crime_groups seed) and which outcome flag
    (home_office_outcome_types seed) it counts; the rolling years, statuses, data breaks, population
    and England and Wales totals are shared here and in the intermediate models.
-#}

{#- Recorded crime volume (unit count) or rate per 1,000 residents, by crime group. -#}
{% macro recorded_crime_measure(measure_id, crime_groups, per_1000_population=false) %}
with

counts as (

    select * from {{ ref('int_home_office__recorded_crime_by_group') }}
    where crime_group in ({{ "'" ~ crime_groups | join("', '") ~ "'" }})

),

{% if per_1000_population -%}
with_population as (

    {{ population_for_periods('counts') }}

),

force_rows as (

    select
        force_id,
        period_start,
        period_end,
        period_type,
        period_label,
        'crime_group' as breakdown,
        crime_group as breakdown_value,
        case
            when status in ('ok', 'break_in_series') and population > 0 then 1000.0 * offence_count / population
        end as value,
        'rate_per_1000' as unit,
        case when status in ('ok', 'break_in_series') and population > 0 then offence_count end as numerator,
        case when status in ('ok', 'break_in_series') and population > 0 then population end as denominator,
        case
            when status in ('ok', 'break_in_series') and not coalesce(population > 0, false) then 'not_available'
            else status
        end as status,
        case
            when status in ('ok', 'break_in_series') and not coalesce(population > 0, false)
                then coalesce(population_note, 'no population estimate for this force and period')
            else status_note
        end as status_note,
        'Home Office police recorded crime open data tables; ONS mid-year population' as source,
        'PRC ' || source_release || '; population ' || coalesce(population_vintage, 'none') as source_release
    from with_population

),
{%- else -%}
force_rows as (

    select
        force_id,
        period_start,
        period_end,
        period_type,
        period_label,
        'crime_group' as breakdown,
        crime_group as breakdown_value,
        case when status in ('ok', 'break_in_series') then offence_count end as value,
        'count' as unit,
        cast(null as double) as numerator,
        cast(null as double) as denominator,
        status,
        status_note,
        'Home Office police recorded crime open data tables' as source,
        'PRC ' || source_release as source_release
    from counts

),
{%- endif %}

{{ measure_with_england_and_wales(measure_id) }}
{% endmacro %}


{#-
    Outcomes of one kind (a flag column of home_office_outcome_types: is_charge, is_victim_attrition,
    is_positive_outcome) for offences recorded in the period, as a volume or as a percentage of all
    offences recorded in the period (including those not yet assigned an outcome, as the Home Office
    charge rate does).
-#}
{% macro outcome_measure(measure_id, crime_groups, outcome_flag, as_percent=false) %}
with

outcomes as (

    select * from {{ ref('int_home_office__outcomes_by_group') }}
    where crime_group in ({{ "'" ~ crime_groups | join("', '") ~ "'" }})

),

outcome_types as (

    select * from {{ ref('home_office_outcome_types') }}

),

by_group as (

    select
        outcomes.force_id,
        outcomes.crime_group,
        outcomes.period_start,
        outcomes.period_end,
        outcomes.period_type,
        outcomes.period_label,
        -- the tables are dense (a row for every outcome type), so no flagged row means none: 0
        coalesce(sum(outcomes.outcomes_recorded_basis) filter (where outcome_types.{{ outcome_flag }}), 0)
            as outcome_count,
        sum(outcomes.outcomes_recorded_basis) as offences_recorded,
        {{ combined_status('outcomes.status') }} as status,
        min(outcomes.status_note) as status_note,
        max(outcomes.source_release) as source_release
    from outcomes
    left join outcome_types
        on outcomes.outcome_type = outcome_types.outcome_type
    group by
        outcomes.force_id,
        outcomes.crime_group,
        outcomes.period_start,
        outcomes.period_end,
        outcomes.period_type,
        outcomes.period_label

),

force_rows as (

    select
        force_id,
        period_start,
        period_end,
        period_type,
        period_label,
        'crime_group' as breakdown,
        crime_group as breakdown_value,
        {% if as_percent -%}
        case
            when status in ('ok', 'break_in_series') and offences_recorded > 0
                then 100.0 * outcome_count / offences_recorded
        end as value,
        'percent' as unit,
        case when status in ('ok', 'break_in_series') and offences_recorded > 0 then outcome_count end as numerator,
        case when status in ('ok', 'break_in_series') and offences_recorded > 0 then offences_recorded end
            as denominator,
        case
            when status in ('ok', 'break_in_series') and not offences_recorded > 0 then 'not_available'
            else status
        end as status,
        case
            when status in ('ok', 'break_in_series') and not offences_recorded > 0
                then 'no offences recorded in the period: a rate is not defined'
            else status_note
        end as status_note,
        {%- else -%}
        case when status in ('ok', 'break_in_series') then outcome_count end as value,
        'count' as unit,
        cast(null as double) as numerator,
        cast(null as double) as denominator,
        status,
        status_note,
        {%- endif %}
        'Home Office crime outcomes open data tables (outcomes for offences recorded in the period)' as source,
        'outcomes ' || source_release as source_release
    from by_group

),

{{ measure_with_england_and_wales(measure_id) }}
{% endmacro %}


{#- The status of a row built from several rows: the strongest reason wins. -#}
{% macro combined_status(status_column) -%}
    case
        when bool_and({{ status_column }} = 'ok') then 'ok'
        when bool_or({{ status_column }} = 'excluded') then 'excluded'
        when bool_or({{ status_column }} = 'incomplete') then 'incomplete'
        when bool_or({{ status_column }} not in ('ok', 'break_in_series')) then 'not_available'
        else 'break_in_series'
    end
{%- endmacro %}


{#-
    Outcomes by crime group and by outcome type and outcome group, for offences recorded in the period:
    volumes, or percentages of all offences recorded in the period. Outcome type 0 (not yet assigned)
    is never an outcome row; it stays in the denominator, as in the Home Office's outcome rates.
-#}
{% macro outcomes_by_type_measure(measure_id, as_percent=false) %}
with

outcomes as (

    select * from {{ ref('int_home_office__outcomes_by_group') }}

),

outcome_types as (

    select * from {{ ref('home_office_outcome_types') }}

),

group_totals as (

    select
        force_id,
        crime_group,
        period_start,
        sum(outcomes_recorded_basis) as offences_recorded
    from outcomes
    group by
        force_id,
        crime_group,
        period_start

),

by_outcome_type as (

    select
        outcomes.force_id,
        outcomes.crime_group,
        outcomes.period_start,
        outcomes.period_end,
        outcomes.period_type,
        outcomes.period_label,
        'crime_group_and_outcome_type' as breakdown,
        outcomes.crime_group || ' | ' || outcomes.outcome_type || ' ' || coalesce(outcome_types.outcome_label, '')
            as breakdown_value,
        outcomes.outcomes_recorded_basis as outcome_count,
        outcomes.status,
        outcomes.status_note,
        outcomes.source_release
    from outcomes
    left join outcome_types
        on outcomes.outcome_type = outcome_types.outcome_type
    where outcomes.outcome_type <> '0'

),

by_outcome_group as (

    select
        outcomes.force_id,
        outcomes.crime_group,
        outcomes.period_start,
        outcomes.period_end,
        outcomes.period_type,
        outcomes.period_label,
        'crime_group_and_outcome_group' as breakdown,
        outcomes.crime_group || ' | ' || outcome_groups.outcome_group as breakdown_value,
        sum(outcomes.outcomes_recorded_basis) as outcome_count,
        {{ combined_status('outcomes.status') }} as status,
        min(outcomes.status_note) as status_note,
        max(outcomes.source_release) as source_release
    from outcomes
    inner join (
        -- the group each outcome type is published under, as the outcomes file names it
        select distinct
            outcome_type,
            outcome_group
        from {{ ref('stg_home_office__crime_outcomes') }}
        where outcome_group is not null
        qualify row_number() over (partition by outcome_type order by financial_year desc) = 1
    ) as outcome_groups
        on outcomes.outcome_type = outcome_groups.outcome_type
    where outcomes.outcome_type <> '0'
    group by
        outcomes.force_id,
        outcomes.crime_group,
        outcomes.period_start,
        outcomes.period_end,
        outcomes.period_type,
        outcomes.period_label,
        outcome_groups.outcome_group

),

outcome_rows as (

    select * from by_outcome_type
    union all
    select * from by_outcome_group

),

force_rows as (

    select
        outcome_rows.force_id,
        outcome_rows.period_start,
        outcome_rows.period_end,
        outcome_rows.period_type,
        outcome_rows.period_label,
        outcome_rows.breakdown,
        outcome_rows.breakdown_value,
        {% if as_percent -%}
        case
            when outcome_rows.status in ('ok', 'break_in_series') and group_totals.offences_recorded > 0
                then 100.0 * outcome_rows.outcome_count / group_totals.offences_recorded
        end as value,
        'percent' as unit,
        case
            when outcome_rows.status in ('ok', 'break_in_series') and group_totals.offences_recorded > 0
                then outcome_rows.outcome_count
        end as numerator,
        case
            when outcome_rows.status in ('ok', 'break_in_series') and group_totals.offences_recorded > 0
                then group_totals.offences_recorded
        end as denominator,
        case
            when outcome_rows.status in ('ok', 'break_in_series') and not group_totals.offences_recorded > 0
                then 'not_available'
            else outcome_rows.status
        end as status,
        case
            when outcome_rows.status in ('ok', 'break_in_series') and not group_totals.offences_recorded > 0
                then 'no offences recorded in the period: a rate is not defined'
            else outcome_rows.status_note
        end as status_note,
        {%- else -%}
        case when outcome_rows.status in ('ok', 'break_in_series') then outcome_rows.outcome_count end as value,
        'count' as unit,
        cast(null as double) as numerator,
        cast(null as double) as denominator,
        outcome_rows.status,
        outcome_rows.status_note,
        {%- endif %}
        'Home Office crime outcomes open data tables (outcomes for offences recorded in the period)' as source,
        'outcomes ' || outcome_rows.source_release as source_release
    from outcome_rows
    left join group_totals
        on
            outcome_rows.force_id = group_totals.force_id
            and outcome_rows.crime_group = group_totals.crime_group
            and outcome_rows.period_start = group_totals.period_start

),

{{ measure_with_england_and_wales(measure_id) }}
{% endmacro %}
