{#- The combination of `combination_of_columns` is unique across the model (a compound key).
    Written here because packages (dbt_utils) cannot be downloaded on these machines. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    {%- set columns = combination_of_columns | join(', ') %}
    select {{ columns }}, count(*) as rows_per_key
    from {{ model }}
    group by {{ columns }}
    having count(*) > 1
{% endtest %}
