-- every Discourse user (from the users table) and every user id that posted
with users as (

    select * from {{ ref('stg_discourse__users') }}

),

posts as (

    select * from {{ ref('stg_discourse__posts') }}

),

authors as (

    select user_id, max(username) as username, max(author_name) as author_name
    from posts
    where user_id is not null
    group by user_id

),

accounts as (

    select
        coalesce(users.user_id, authors.user_id) as user_id,
        coalesce(users.username, authors.username) as username,
        coalesce(users.full_name, authors.author_name) as full_name,
        users.email,
        nullif(concat_ws(' ', users.title, users.website, users.bio), '') as profile_text
    from users
    full outer join authors on users.user_id = authors.user_id

),

final as (

    select
        'discourse:' || cast(user_id as {{ dbt.type_string() }}) as account_key,
        'discourse' as platform,
        cast(user_id as {{ dbt.type_string() }}) as account_id,
        username,
        coalesce(full_name, username) as display_name,
        full_name,
        email,
        cast(null as {{ dbt.type_string() }}) as company,
        profile_text,
        -- Discourse's own automation accounts (system, discobot) have ids <= 0
        case when user_id <= 0 then 'discourse_system_user' end as bot_reason
    from accounts

)

select *, bot_reason is not null as is_bot from final
