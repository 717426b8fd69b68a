{#- A timestamp as an id fragment, to the second: '2024-03-07T10:00:00'. Used where a happening
    has no id of its own (closing an issue) so every source that reports it builds the same key. -#}
{% macro timestamp_key(expression) -%}
    replace(cast({{ dbt.date_trunc('second', expression) }} as {{ dbt.type_string() }}), ' ', 'T')
{%- endmacro %}
