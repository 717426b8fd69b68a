-- every GitHub login that acted or authored something, with its profile and commit identity
with events as (select * from {{ ref('stg_github__events') }}),
issues as (select * from {{ ref('stg_github__issues') }}),
pull_requests as (select * from {{ ref('stg_github__pull_requests') }}),
comments as (select * from {{ ref('stg_github__comments') }}),
reviews as (select * from {{ ref('stg_github__reviews') }}),
releases as (select * from {{ ref('stg_github__releases') }}),
stars as (select * from {{ ref('stg_github__stars') }}),
forks as (select * from {{ ref('stg_github__forks') }}),
users as (select * from {{ ref('stg_github__users') }}),
emails as (select * from {{ ref('int_github_emails_attributed') }}),

known_bots as (

    select distinct lower(trim(login)) as login from {{ ref('known_bots') }}

),

seen as (

    -- (login, account type when the source says it)
    select actor_login as login, cast(null as {{ dbt.type_string() }}) as user_type from events
    union all select author_login, author_type from issues
    union all select closed_by_login, closed_by_type from issues
    union all select author_login, author_type from pull_requests
    union all select merged_by_login, null from pull_requests
    union all select author_login, author_type from comments
    union all select author_login, author_type from reviews
    union all select author_login, author_type from releases
    union all select user_login, user_type from stars
    union all select owner_login, owner_type from forks
    union all select login, user_type from users

),

logins as (

    select login, {{ dbt.bool_or("coalesce(user_type, '') = 'Bot'") }} as is_typed_bot
    from seen
    where login is not null
    group by login

),

final as (

    select
        'github:' || logins.login as account_key,
        'github' as platform,
        logins.login as account_id,
        logins.login as username,
        coalesce(users.full_name, emails.author_name, logins.login) as display_name,
        coalesce(users.full_name, emails.author_name) as full_name,
        coalesce(users.email, emails.email) as email,
        users.company,
        cast(null as {{ dbt.type_string() }}) as profile_text,
        case
            when logins.is_typed_bot then 'github_type_bot'
            when {{ dbt.right('logins.login', 5) }} = '[bot]' then 'bot_suffix'
            when known_bots.login is not null then 'known_bots_seed'
        end as bot_reason
    from logins
    left join users on users.login = logins.login
    left join emails on emails.login = logins.login and emails.is_primary
    left join known_bots on logins.login in (known_bots.login, known_bots.login || '[bot]')

)

select *, bot_reason is not null as is_bot from final
