{{ config(
    materialized='incremental',
    unique_key='activity_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook="delete from {{ this }} where reaction_count = 0"
) }}
-- activities that received at least one reaction (emoji), on platforms whose exports record them
-- Incremental by ingestion: a refresh takes the messages staged since the newest one held per
-- platform, zero counts included so that a message whose reactions went replaces its row, which
-- the post-hook then deletes.
{%- set platforms = {'slack': 'stg_slack__messages', 'discord': 'stg_discord__messages'} %}
with
{% for platform, model in platforms.items() -%}
{{ platform }}_messages as (

    select * from {{ ref(model) }}
    {%- if is_incremental() %}
    where ingested_at > (
        select coalesce(max(ingested_at), cast('1900-01-01' as timestamp)) from {{ this }}
        where activity_id like '{{ platform }}:%'
    )
    {%- else %}
    where reaction_count > 0
    {%- endif %}

),

{% endfor -%}
final as (

    -- Slack and Discord exports list reactions without their time: attention is known, its time is not
    {% for platform in platforms -%}
    select
        '{{ platform }}:' || message_id as activity_id,
        reaction_count,
        cast(null as {{ dbt.type_timestamp() }}) as first_reacted_at,
        ingested_at
    from {{ platform }}_messages
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

)

select * from final
