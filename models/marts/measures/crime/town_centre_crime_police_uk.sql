-- NPG pillar 5 (police.uk view): recorded shoplifting, theft from the person and robbery by force
-- and month, each as a breakdown, and their total.
with

monthly_counts as (

    select * from {{ ref('int_police_uk__street_crime_counts') }}
    where
        crime_type in (
            {%- for crime_type in var("town_centre_crime_types") %}
                '{{ crime_type }}'{{ "," if not loop.last }}
            {%- endfor %}
        )

),

by_crime_type as (

    select
        force_id,
        month_start,
        'crime_type' as breakdown,
        crime_type as breakdown_value,
        recorded_count,
        status,
        status_note,
        source_release
    from monthly_counts

),

all_town_centre_crime as (

    select
        force_id,
        month_start,
        'total' as breakdown,
        'all' as breakdown_value,
        sum(recorded_count) as recorded_count,
        -- the three crime types come from one file, so they share its status
        min(status) as status,
        min(status_note) as status_note,
        min(source_release) as source_release
    from monthly_counts
    group by
        force_id,
        month_start

),

force_rows as (

    select
        force_id,
        month_start as period_start,
        cast(month_start + interval 1 month - interval 1 day as date) as period_end,
        'month' as period_type,
        {{ month_label('month_start') }} as period_label,
        breakdown,
        breakdown_value,
        case when status = 'ok' then recorded_count end as value,
        'count' as unit,
        cast(null as double) as numerator,
        cast(null as double) as denominator,
        status,
        status_note,
        'data.police.uk street-level crime (archive street files)' as source,
        source_release
    from (
        select * from by_crime_type
        union all
        select * from all_town_centre_crime
    ) as counts

),

{{ measure_with_england_and_wales('town_centre_crime_police_uk') }}
