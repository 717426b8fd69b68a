{#- ISO 8601 week label 'YYYY-Www' (ISO year, zero-padded ISO week) of a date. -#}
{% macro iso_week_label(date) -%}
    {{ return(adapter.dispatch('iso_week_label', 'codeconvene')(date)) }}
{%- endmacro %}

{% macro default__iso_week_label(date) -%}
    cast(extract(isoyear from {{ date }}) as {{ dbt.type_string() }})
        || '-W' || lpad(cast(extract(week from {{ date }}) as {{ dbt.type_string() }}), 2, '0')
{%- endmacro %}

{% macro spark__iso_week_label(date) -%}
    cast(extract(yearofweek from {{ date }}) as string)
        || '-W' || lpad(cast(weekofyear({{ date }}) as string), 2, '0')
{%- endmacro %}
