with

source as (

    select * from {{ source('police_uk_calls', 'call_answering') }}

),

force_names as (

    {{ force_name_keys() }}

),

renamed as (

    select
        -- ids
        force_names.force_id,

        -- strings
        trim(source.force_name) as force_name_published,
        case when force_names.force_id is not null then 'police_force_area' else 'outside_england_and_wales' end
            as reporting_body,
        coalesce(source.answered_under_10_seconds_marker, 'ok') as answered_under_10_seconds_status,
        coalesce(source.answered_10_to_60_seconds_marker, 'ok') as answered_10_to_60_seconds_status,
        coalesce(source.answered_60_seconds_or_more_marker, 'ok') as answered_60_seconds_or_more_status,
        coalesce(source.total_calls_marker, 'ok') as total_calls_status,
        coalesce(source.calls_101_marker, 'ok') as calls_101_status,
        coalesce(source.average_answer_seconds_marker, 'ok') as average_answer_seconds_status,
        coalesce(source.average_101_answer_seconds_marker, 'ok') as average_101_answer_seconds_status,

        -- numerics
        source.answered_under_10_seconds,
        source.answered_10_to_60_seconds,
        source.answered_60_seconds_or_more,
        source.total_calls,
        source.calls_101,
        source.average_answer_seconds,
        source.average_101_answer_seconds,

        -- dates
        source.month_start,

        -- provenance
        'police.uk 999 call answering data, ' || strftime(source.month_start, '%b %Y') || ' (' || source.source_file
        || ')' as source_release,
        source.source_file,
        source.source_row,
        source.file_sha256,
        source.source_location,
        source.loaded_at

    from source
    left join force_names
        on lower(trim(source.force_name)) = force_names.name_key

)

select * from renamed
