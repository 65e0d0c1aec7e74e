"""`python -m transform`: the dbt step of the pipeline (see __main__)."""
