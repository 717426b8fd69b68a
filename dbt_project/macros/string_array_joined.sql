{#- The strings of an array column joined with `delimiter`: '' for an empty array, null for a
    null array. Dispatched: default__ is DuckDB (and Postgres/Trino-like) array_to_string. -#}
{% macro string_array_joined(array, delimiter=', ') -%}
    {{ return(adapter.dispatch('string_array_joined', 'codeconvene')(array, delimiter)) }}
{%- endmacro %}

{% macro default__string_array_joined(array, delimiter) -%}
    array_to_string({{ array }}, '{{ delimiter }}')
{%- endmacro %}
