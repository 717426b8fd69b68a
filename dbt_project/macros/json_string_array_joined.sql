{#- The strings selected by a JSONPath that ends in an array wildcard (e.g.
    '$.payload.issue.labels[*].name'), joined with `delimiter`; '' for an empty array, null
    when the path is absent. Dispatched: default__ is DuckDB's JSON extension. -#}
{% macro json_string_array_joined(json, path, delimiter=', ') -%}
    {{ return(adapter.dispatch('json_string_array_joined', 'codeconvene')(json, path, delimiter)) }}
{%- endmacro %}

{% macro default__json_string_array_joined(json, path, delimiter) -%}
    array_to_string(json_extract_string({{ json }}, '{{ path }}'), '{{ delimiter }}')
{%- endmacro %}
