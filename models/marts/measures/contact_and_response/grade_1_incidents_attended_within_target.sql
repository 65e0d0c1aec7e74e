-- PPF Contact and response: % of grade 1 incidents attended within target (urban 15 minutes, rural
-- 20 minutes), by force, month and area type. From the template seeds/force_returns/
-- grade_1_attendance.csv (no public source; documented in seeds/force_returns/README.md); empty until
-- data is supplied.
with

attendance as (

    select * from {{ ref('grade_1_attendance') }}

),

force_rows as (

    select
        force_id,
        {{ month_period() }},
        'area_type' as breakdown,
        area_type as breakdown_value,
        case when grade_1_incidents > 0 then 100.0 * attended_within_target / grade_1_incidents end as value,
        'percent' as unit,
        cast(attended_within_target as double) as numerator,
        cast(grade_1_incidents as double) as denominator,
        case when grade_1_incidents > 0 then 'ok' else 'not_available' end as status,
        case when grade_1_incidents = 0 then 'no grade 1 incidents in the month' end as status_note,
        'Force returns to the Home Office (template)' as source,
        source_release
    from attendance

),

{{ measure_with_england_and_wales('grade_1_incidents_attended_within_target') }}
