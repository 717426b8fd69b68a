{{ config(
    tags=['after_ml'],
    materialized='incremental',
    incremental_strategy='recompute',
    recompute_range='week_start',
    recompute_entity='activity_id',
    on_schema_change='fail',
    post_hook=[
        "{{ delete_unqualified_sentiment_messages() }}",
        "{{ record_mart_watermark(scores=true) }}",
    ]
) }}
-- the sentiment of every scored human conversational activity (messages, comments, reviews, issue texts)
-- Activity-incremental: a refresh recomputes the activities whose facts changed
-- (fct_activities.changed_at) or that were scored since the last run.
with
{% if is_incremental() -%}
touched as (

    {{ sentiment_messages_touched() }}

),

{% endif -%}
activities as (

    select activity_id, person_id, platform, container, occurred_at, activity_type, is_contribution, is_bot
    from {{ ref('fct_activities') }}
    {%- if is_incremental() %}
    where activity_id in (select activity_id from touched)
    {%- endif %}

),

sentiment as (

    select * from {{ source('ml', 'sentiment') }}
    {%- if is_incremental() %}
    where activity_id in (select activity_id from touched)
    {%- endif %}

),

final as (

    select
        activities.activity_id,
        activities.person_id,
        activities.platform,
        activities.container,
        activities.occurred_at,
        cast({{ dbt.date_trunc('week', 'activities.occurred_at') }} as date) as week_start,
        sentiment.compound
        {{- ", 'entity' as _recompute" if is_incremental() }}
    from activities
    inner join sentiment on sentiment.activity_id = activities.activity_id
    where activities.is_contribution
        and not activities.is_bot
        and activities.activity_type not in {{ non_conversation_activity_types() }}

)

select * from final
