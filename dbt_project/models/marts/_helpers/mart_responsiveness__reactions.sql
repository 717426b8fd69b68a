-- activities that received at least one reaction (emoji), on platforms whose exports record them
with slack_messages as (

    select * from {{ ref('stg_slack__messages') }}

),

discord_messages as (

    select * from {{ ref('stg_discord__messages') }}

),

final as (

    -- Slack and Discord exports list reactions without their time: attention is known, its time is not
    select
        'slack:' || message_id as activity_id,
        reaction_count,
        cast(null as {{ dbt.type_timestamp() }}) as first_reacted_at
    from slack_messages
    where reaction_count > 0
    union all
    select
        'discord:' || message_id as activity_id,
        reaction_count,
        cast(null as {{ dbt.type_timestamp() }}) as first_reacted_at
    from discord_messages
    where reaction_count > 0

)

select * from final
