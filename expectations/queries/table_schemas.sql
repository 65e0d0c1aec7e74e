-- One row per column of every raw table (the loaders' landing tables, dlt's own left out) and every
-- measure table, as the warehouse holds it and as expectations/expected_schema.csv records it: a column
-- missing, unexpected or of another type is a schema change the gate stops on. After a deliberate change,
-- `python -m expectations.schema --update` records the new schema. validate.py fills in the file's path.
with

actual as (

    select
        table_schema || '.' || table_name as table_name,
        column_name,
        data_type
    from information_schema.columns
    where
        table_catalog = current_database()
        and (
            (
                table_schema like 'raw\_%' escape '\'
                and table_schema not like '%\_staging' escape '\'
                and table_name not like '\_dlt%' escape '\'
            )
            or table_schema = 'measures'
        )

),

expected as (

    select
        table_name,
        column_name,
        data_type
    from read_csv('{expected_schema}', header = true, all_varchar = true)

)

select
    coalesce(actual.table_name, expected.table_name) as table_name,
    coalesce(actual.column_name, expected.column_name) as column_name,
    expected.data_type as expected_type,
    actual.data_type as actual_type,
    case
        when actual.column_name is null then 'missing'
        when expected.column_name is null then 'unexpected'
        when actual.data_type <> expected.data_type then 'type changed'
        else 'as expected'
    end as schema_check
from actual
full outer join expected
    on actual.table_name = expected.table_name and actual.column_name = expected.column_name
order by schema_check, table_name, column_name
