-- every Slack user (from users.json) and every id that posted (users, bot ids)
with users as (

    select * from {{ ref('stg_slack__users') }}

),

messages as (

    select * from {{ ref('stg_slack__messages') }}

),

authors as (

    select
        coalesce(user_id, bot_id) as account_id,
        max(author_name) as author_name,
        {{ dbt.bool_or("bot_id is not null or coalesce(subtype, '') = 'bot_message'") }} as posted_as_bot
    from messages
    where coalesce(user_id, bot_id) is not null
    group by coalesce(user_id, bot_id)

),

final as (

    select
        'slack:' || coalesce(users.user_id, authors.account_id) as account_key,
        'slack' as platform,
        coalesce(users.user_id, authors.account_id) as account_id,
        coalesce(users.username, authors.author_name) as username,
        coalesce(users.display_name, authors.author_name) as display_name,
        users.real_name as full_name,
        users.email,
        cast(null as {{ dbt.type_string() }}) as company,
        users.title as profile_text,
        case
            when coalesce(users.is_bot, false) then 'slack_is_bot'
            when coalesce(authors.posted_as_bot, false) then 'slack_bot_message'
        end as bot_reason
    from users
    full outer join authors on users.user_id = authors.account_id

)

select *, bot_reason is not null as is_bot from final
