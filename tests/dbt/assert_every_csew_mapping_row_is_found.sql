-- Every row of seeds/csew_measure_rows.csv must find its estimate in every loaded CSEW dataset: a
-- renamed table or reworded row label in a new edition fails here, naming the mapping row, instead
-- of leaving a measure silently empty. Passes when no CSEW edition is loaded.
with

mapping as (

    select * from {{ ref('csew_measure_rows') }}

),

estimates as (

    select * from {{ ref('stg_ons_csew__estimates') }}

),

loaded_datasets as (

    select distinct dataset from estimates

),

found as (

    select distinct
        measure_id,
        breakdown_value
    from {{ ref('int_ons_csew__measure_estimates') }}

)

select mapping.*
from mapping
inner join loaded_datasets
    on mapping.dataset = loaded_datasets.dataset
left join found
    on
        mapping.measure_id = found.measure_id
        and mapping.breakdown_value = found.breakdown_value
where found.measure_id is null
