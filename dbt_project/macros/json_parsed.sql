{#- A JSON column parsed once into a struct of the given shape (a dict of field -> type name,
    nested dicts for objects, one-element lists for arrays), so a model reads many fields with
    one parse instead of one JSON path lookup per field. Fields that are absent or of another
    type come out null. Dispatched: default__ is DuckDB's json_transform. -#}
{% macro json_parsed(json, shape) -%}
    {{ return(adapter.dispatch('json_parsed', 'codeconvene')(json, shape)) }}
{%- endmacro %}

{% macro default__json_parsed(json, shape) -%}
    json_transform({{ json }}, '{{ tojson(shape) }}')
{%- endmacro %}
