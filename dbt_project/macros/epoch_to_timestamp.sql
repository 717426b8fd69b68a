{#- Epoch seconds (number or numeric string such as Slack's ts '1700000000.123456')
    -> naive timestamp in UTC. -#}
{% macro epoch_to_timestamp(expression) -%}
    {{ return(adapter.dispatch('epoch_to_timestamp', 'codeconvene')(expression)) }}
{%- endmacro %}

{% macro default__epoch_to_timestamp(expression) -%}
    cast(to_timestamp(cast({{ expression }} as double precision)) at time zone 'UTC' as timestamp)
{%- endmacro %}
