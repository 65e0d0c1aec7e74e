{#-
    A number as an exact decimal (12 places), for sums and means that must not depend on the order in
    which rows arrive: DuckDB sums doubles in whatever order its threads and joins deliver them, so a
    double total can move in its last digits from one build to the next and be published as a revision.
-#}
{% macro exact(expression) -%}
cast({{ expression }} as decimal(38, 12))
{%- endmacro %}
