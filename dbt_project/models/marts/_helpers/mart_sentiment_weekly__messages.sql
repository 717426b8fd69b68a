{{ config(tags=['after_ml']) }}
-- the sentiment of every scored human conversational activity (messages, comments, reviews, issue texts)
with activities as (

    select * from {{ ref('fct_activities') }}

),

sentiment as (

    select * from {{ source('ml', 'sentiment') }}

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
    from activities
    inner join sentiment on sentiment.activity_id = activities.activity_id
    where activities.is_contribution
        and not activities.is_bot
        and activities.activity_type not in {{ non_conversation_activity_types() }}

)

select * from final
