-- PPF and NPG monitoring: people who have attended each module of the NPP career pathway, by force
-- and month. From the College of Policing template
-- seeds/college_of_policing/npp_career_pathway_attendance.csv (no open data exists); empty until
-- data is supplied.
with

attendance as (

    select * from {{ ref('npp_career_pathway_attendance') }}

),

force_rows as (

    select
        force_id,
        {{ month_period() }},
        'module' as breakdown,
        module as breakdown_value,
        cast(people_attended as double) as value,
        'count' as unit,
        cast(null as double) as numerator,
        cast(null as double) as denominator,
        'ok' as status,
        cast(null as varchar) as status_note,
        'College of Policing management information (template)' as source,
        source_release
    from attendance

),

{{ measure_with_england_and_wales('npp_career_pathway_progression') }}
