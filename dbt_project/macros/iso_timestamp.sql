{#- An ISO 8601 text ('2024-03-04T10:00:00Z', '...+01:00', '...123456', or without an offset)
    -> naive timestamp in UTC. Text with an offset or Z is shifted to UTC; text without one is
    read as UTC already (never as the machine's local time). Dispatched per adapter. -#}
{% macro iso_timestamp(expression) -%}
    {{ return(adapter.dispatch('iso_timestamp', 'codeconvene')(expression)) }}
{%- endmacro %}

{% macro default__iso_timestamp(expression) -%}
    case
        when regexp_matches({{ expression }}, '([zZ]|[+-][0-9]{2}(:?[0-9]{2})?)$')
            then cast(cast({{ expression }} as timestamptz) at time zone 'UTC' as timestamp)
        else cast({{ expression }} as timestamp)
    end
{%- endmacro %}
