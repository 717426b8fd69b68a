-- every Discord user who is a guild member or wrote a message
with members as (

    select * from {{ ref('stg_discord__members') }}

),

messages as (

    select * from {{ ref('stg_discord__messages') }}

),

member_profiles as (

    -- one profile per user across guilds
    select
        user_id,
        max(username) as username,
        max(coalesce(global_name, nickname)) as full_name,
        max(display_name) as display_name,
        {{ dbt.bool_or('is_bot') }} as is_bot
    from members
    group by user_id

),

authors as (

    select
        author_id as user_id,
        max(author_name) as username,
        max(author_nickname) as nickname,
        {{ dbt.bool_or('is_author_bot') }} as is_bot
    from messages
    where author_id is not null
    group by author_id

),

final as (

    select
        'discord:' || coalesce(member_profiles.user_id, authors.user_id) as account_key,
        'discord' as platform,
        coalesce(member_profiles.user_id, authors.user_id) as account_id,
        coalesce(member_profiles.username, authors.username) as username,
        coalesce(member_profiles.display_name, authors.nickname, authors.username) as display_name,
        coalesce(member_profiles.full_name, authors.nickname) as full_name,
        cast(null as {{ dbt.type_string() }}) as email,
        cast(null as {{ dbt.type_string() }}) as company,
        cast(null as {{ dbt.type_string() }}) as profile_text,
        case
            when coalesce(member_profiles.is_bot, false) or coalesce(authors.is_bot, false) then 'discord_is_bot'
        end as bot_reason
    from member_profiles
    full outer join authors on member_profiles.user_id = authors.user_id

)

select *, bot_reason is not null as is_bot from final
