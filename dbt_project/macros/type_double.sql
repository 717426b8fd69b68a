{#- An 8-byte floating point type for shares and hours. type_double() is 4-byte FLOAT on
    DuckDB, which prints 0.65 as 0.6499999761581421. -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'codeconvene')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro trino__type_double() -%}
    double
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}
