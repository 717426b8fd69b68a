{#- The string at a JSONPath of a JSON column (null when absent). Dispatched: default__ is
    DuckDB's JSON extension. -#}
{% macro json_string(json, path) -%}
    {{ return(adapter.dispatch('json_string', 'codeconvene')(json, path)) }}
{%- endmacro %}

{% macro default__json_string(json, path) -%}
    json_extract_string({{ json }}, '{{ path }}')
{%- endmacro %}
