{#- A burnout component's value as short text for risk_reasons: share -> '62%', days -> '34 days',
    ratio -> 'x1.8', compound -> '0.25'. Portable (round, cast, ||). -#}
{% macro format_component_value(value, unit) -%}
    case {{ unit }}
        when 'share' then cast(cast(round({{ value }} * 100) as integer) as {{ dbt.type_string() }}) || '%'
        when 'days' then cast(cast(round({{ value }}) as integer) as {{ dbt.type_string() }}) || ' days'
        when 'ratio' then 'x' || cast(round({{ value }}, 1) as {{ dbt.type_string() }})
        else cast(round({{ value }}, 2) as {{ dbt.type_string() }})
    end
{%- endmacro %}
