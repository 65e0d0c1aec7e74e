-- 999 and 101 call answering for every force area and every month the loaded files cover. Grain:
-- one row per force area (43) x month. A force with no row in a month's file is a gap
-- (row_published false), never zeros; a figure published as a marker keeps its status.
with

calls as (

    select * from {{ ref('stg_police_uk_calls__call_answering') }}
    where reporting_body = 'police_force_area'

),

months as (

    select
        month_start,
        max(source_release) as source_release
    from {{ ref('stg_police_uk_calls__call_answering') }}
    group by month_start

),

final as (

    select
        forces.force_id,
        months.month_start,
        calls.force_id is not null as row_published,
        calls.answered_under_10_seconds,
        calls.answered_10_to_60_seconds,
        calls.answered_60_seconds_or_more,
        calls.answered_under_10_seconds + calls.answered_10_to_60_seconds + calls.answered_60_seconds_or_more
            as calls_999_answered,
        coalesce(
            calls.total_calls,
            calls.answered_under_10_seconds + calls.answered_10_to_60_seconds + calls.answered_60_seconds_or_more
        ) as calls_999,
        calls.average_answer_seconds,
        calls.calls_101,
        calls.average_101_answer_seconds,
        coalesce(calls.answered_under_10_seconds_status, 'not_published') as bands_status,
        coalesce(calls.average_answer_seconds_status, 'not_published') as average_status,
        coalesce(calls.calls_101_status, 'not_published') as calls_101_status,
        coalesce(calls.average_101_answer_seconds_status, 'not_published') as average_101_status,
        coalesce(calls.source_release, months.source_release) as source_release
    from {{ ref('police_force_areas') }} as forces
    cross join months
    left join calls
        on forces.force_id = calls.force_id and months.month_start = calls.month_start

)

select * from final
