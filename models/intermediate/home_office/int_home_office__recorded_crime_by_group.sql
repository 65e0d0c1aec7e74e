-- Police recorded crime by force, framework crime group and rolling year (the 12 months ending each
-- quarter the tables cover), with data breaks applied. Every crime group has a row for every
-- force-period, including groups the open data cannot fill (status not_available, never zero).
with

recorded as (

    select * from {{ ref('stg_home_office__recorded_crime') }}
    where reporting_body = 'police_force_area' and not is_fraud

),

groups as (

    select * from {{ ref('crime_groups') }}

),

offence_groups as (

    select * from {{ ref('int_home_office__offence_crime_groups') }}

),

force_quarters as (

    select
        force_id,
        quarter_start,
        max(source_release) as source_release
    from recorded
    group by
        force_id,
        quarter_start

),

quarterly as (

    select
        recorded.force_id,
        recorded.quarter_start,
        offence_groups.crime_group,
        sum(recorded.offence_count) as offence_count,
        count(*) filter (where recorded.count_status <> 'ok') as cells_not_ok,
        string_agg(distinct recorded.count_status_note, '; ') as markers
    from recorded
    inner join offence_groups
        on recorded.offence_code = offence_groups.offence_code
    group by
        recorded.force_id,
        recorded.quarter_start,
        offence_groups.crime_group

),

dense as (

    select
        force_quarters.force_id,
        force_quarters.quarter_start,
        groups.crime_group,
        quarterly.offence_count,
        case
            when quarterly.crime_group is null then 'not_available'
            when quarterly.cells_not_ok > 0 then 'not_available'
            else 'ok'
        end as status,
        case
            when quarterly.crime_group is null
                then 'no offence in the Home Office open data tables falls in this group: ' || groups.definition_note
            when quarterly.cells_not_ok > 0 then 'published as not available: ' || quarterly.markers
        end as status_note,
        force_quarters.source_release
    from force_quarters
    cross join groups
    left join quarterly
        on
            force_quarters.force_id = quarterly.force_id
            and force_quarters.quarter_start = quarterly.quarter_start
            and groups.crime_group = quarterly.crime_group

),

rolling as (

    {{ rolling_year('dense', ['force_id', 'crime_group'], ['offence_count']) }}

),

final as (

    {{ apply_data_breaks('rolling', 'recorded_crime', ['force_id', 'crime_group']) }}

)

select * from final
