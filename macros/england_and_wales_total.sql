{#-
    England and Wales (K04000001) rows summed from the force rows of a measure, one per period,
    breakdown and unit. Only forces whose status is `ok` are summed. When some are not, the row is
    `incomplete`, keeps the partial total (as ONS publishes "England and Wales excluding Greater
    Manchester") and names the forces left out; a rate, percentage or average time is recomputed from the summed
    numerator and denominator of the same forces, so it stays a true rate of the covered population.
    Rows marked `break_in_series` (a counting-rule change that affects every force alike) are summed
    too, and the total carries that status.
-#}
{% macro england_and_wales_total(force_rows) %}
{#- sums over the forces in the total, exact (see exact()): the same whatever order the rows come in -#}
{%- set included = "filter (where force_rows.status in ('ok', 'break_in_series'))" -%}
{%- set numerator = "sum(" ~ exact('force_rows.numerator') ~ ") " ~ included -%}
{%- set denominator = "sum(" ~ exact('force_rows.denominator') ~ ") " ~ included %}
select
    'K04000001' as force_id,
    force_rows.period_start,
    force_rows.period_end,
    force_rows.period_type,
    force_rows.period_label,
    force_rows.breakdown,
    force_rows.breakdown_value,
    case
        when force_rows.unit = 'rate_per_1000' then 1000.0 * {{ numerator }} / nullif({{ denominator }}, 0)
        when force_rows.unit = 'percent' then 100.0 * {{ numerator }} / nullif({{ denominator }}, 0)
        -- a time (average seconds or days) is weighted: numerator = time x volume, denominator = volume
        when force_rows.unit in ('seconds', 'days') then {{ numerator }} / nullif({{ denominator }}, 0)
        else sum({{ exact('force_rows.value') }}) {{ included }}
    end as value,
    force_rows.unit,
    {{ numerator }} as numerator,
    {{ denominator }} as denominator,
    case
        when count(*) filter (where force_rows.status in ('ok', 'break_in_series')) = (select count(*) from {{ ref('police_force_areas') }})
            then case when bool_or(force_rows.status = 'break_in_series') then 'break_in_series' else 'ok' end
        when count(*) filter (where force_rows.status in ('ok', 'break_in_series')) = 0 then 'not_available'
        else 'incomplete'
    end as status,
    case
        when bool_or(force_rows.status = 'break_in_series')
            and count(*) filter (where force_rows.status in ('ok', 'break_in_series')) = (select count(*) from {{ ref('police_force_areas') }})
            then min(force_rows.status_note) filter (where force_rows.status = 'break_in_series')
        when count(*) filter (where force_rows.status in ('ok', 'break_in_series')) < (select count(*) from {{ ref('police_force_areas') }})
            then 'total of the '
            || cast(count(*) filter (where force_rows.status in ('ok', 'break_in_series')) as varchar)
            || ' of '
            || cast((select count(*) from {{ ref('police_force_areas') }}) as varchar)
            || ' forces with complete data; not included: '
            || coalesce(string_agg(forces.force_name, ', ' order by forces.force_name)
                filter (where force_rows.status not in ('ok', 'break_in_series')), 'forces with no row')
    end as status_note,
    min(force_rows.source) as source,
    -- the release of the forces in the total (a left-out force may lack, say, a population vintage)
    coalesce(
        max(force_rows.source_release) filter (where force_rows.status in ('ok', 'break_in_series')),
        max(force_rows.source_release)
    ) as source_release
from {{ force_rows }} as force_rows
inner join {{ ref('police_force_areas') }} as forces
    on force_rows.force_id = forces.force_id
group by
    force_rows.period_start,
    force_rows.period_end,
    force_rows.period_type,
    force_rows.period_label,
    force_rows.breakdown,
    force_rows.breakdown_value,
    force_rows.unit
{% endmacro %}
