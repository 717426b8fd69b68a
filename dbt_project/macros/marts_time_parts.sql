{#- Parts of a timestamp that dbt's cross-database macros do not cover, dispatched per adapter
    so the marts stay portable (DESIGN §8). default__ is ANSI/Postgres/DuckDB/Trino syntax. -#}

{#- ISO day of the week: Monday = 1 ... Sunday = 7. -#}
{% macro day_of_week_iso(timestamp) -%}
    {{ return(adapter.dispatch('day_of_week_iso', 'codeconvene')(timestamp)) }}
{%- endmacro %}

{% macro default__day_of_week_iso(timestamp) -%}
    cast(extract(isodow from {{ timestamp }}) as integer)
{%- endmacro %}

{% macro spark__day_of_week_iso(timestamp) -%}
    cast(((dayofweek({{ timestamp }}) + 5) % 7) + 1 as int)
{%- endmacro %}

{#- Hour of the day, 0-23. -#}
{% macro hour_of_day(timestamp) -%}
    {{ return(adapter.dispatch('hour_of_day', 'codeconvene')(timestamp)) }}
{%- endmacro %}

{% macro default__hour_of_day(timestamp) -%}
    cast(extract(hour from {{ timestamp }}) as integer)
{%- endmacro %}

{#- Hours between two timestamps as a double (seconds / 3600), built on dbt.datediff. -#}
{% macro hours_between(start_timestamp, end_timestamp) -%}
    cast({{ dbt.datediff(start_timestamp, end_timestamp, 'second') }} as {{ type_double() }}) / 3600.0
{%- endmacro %}

{#- Continuous percentile (linear interpolation) of an expression, as an aggregate. -#}
{% macro percentile_cont(expression, fraction) -%}
    {{ return(adapter.dispatch('percentile_cont', 'codeconvene')(expression, fraction)) }}
{%- endmacro %}

{% macro default__percentile_cont(expression, fraction) -%}
    cast(percentile_cont({{ fraction }}) within group (order by {{ expression }}) as {{ type_double() }})
{%- endmacro %}

{% macro trino__percentile_cont(expression, fraction) -%}
    approx_percentile({{ expression }}, {{ fraction }})
{%- endmacro %}

{% macro spark__percentile_cont(expression, fraction) -%}
    percentile({{ expression }}, {{ fraction }})
{%- endmacro %}
