{#-
    Applies the data_breaks seed to rolling-year rows of one dataset (recorded_crime or crime_outcomes).

    - `excluded` / `incomplete` breaks (a force's data known to be wrong or partial, such as Devon and
      Cornwall outcomes in 2022-23 and 2023-24): every period overlapping the break takes that status.
      The published counts stay in these intermediate rows for analysts; the measure tables show a null
      value, so the force drops out of national totals and direction of travel, as the Home Office does.
    - `break_in_series` breaks (a counting-rule change, such as stalking and harassment in June 2023):
      the value stays, but periods that end after the change and whose year-earlier period starts
      before it are marked, so year-on-year change is not assessed across the break.

    A status already not `ok` (published as not available) wins; otherwise the strongest break does.
-#}
{% macro apply_data_breaks(relation, dataset, key_columns) %}
select
    rows_in.* exclude (status, status_note),
    case
        when rows_in.status <> 'ok' then rows_in.status
        when breaks.status in ('excluded', 'incomplete') then breaks.status
        when breaks.status = 'break_in_series' then 'break_in_series'
        else 'ok'
    end as status,
    case
        when rows_in.status <> 'ok' then rows_in.status_note
        when breaks.status is not null then breaks.description || ' [data_breaks: ' || breaks.break_id || ']'
    end as status_note
from {{ relation }} as rows_in
left join {{ ref('data_breaks') }} as breaks
    on
        breaks.dataset = '{{ dataset }}'
        and (breaks.force_id is null or breaks.force_id = rows_in.force_id)
        and (breaks.crime_group is null or breaks.crime_group = rows_in.crime_group)
        and (
            (
                breaks.status in ('excluded', 'incomplete')
                and rows_in.period_end >= breaks.period_start
                and rows_in.period_start <= coalesce(breaks.period_end, date '9999-12-31')
            )
            or (
                breaks.status = 'break_in_series'
                and rows_in.period_end >= breaks.period_start
                and rows_in.period_start - interval 1 year < breaks.period_start
            )
        )
-- one row per input row: the strongest matching break
qualify row_number() over (
    partition by
        {%- for column in key_columns %} rows_in.{{ column }},{% endfor %} rows_in.period_start
    order by case breaks.status when 'excluded' then 1 when 'incomplete' then 2 when 'break_in_series' then 3 else 4 end
) = 1
{% endmacro %}
