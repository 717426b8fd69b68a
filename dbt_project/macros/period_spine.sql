{#- One row per period (`period_start`, a date) from bounds.<start_column> to
    bounds.<end_column> inclusive, where `bounds` is a one-row CTE. Built on dbt's portable
    generate_series + dateadd, so it needs no introspective query and can be unit tested. -#}
{% macro period_spine(datepart, bounds, start_column, end_column, max_periods=20000) -%}
    {%- set period_start = dbt.dateadd(datepart, 'series.generated_number - 1', 'bounds.' ~ start_column) -%}
    select cast({{ period_start }} as date) as period_start
    from ({{ dbt.generate_series(max_periods) }}) as series
    cross join {{ bounds }} as bounds
    where {{ period_start }} <= bounds.{{ end_column }}
{%- endmacro %}
