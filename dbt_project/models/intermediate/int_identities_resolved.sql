with github_events as (

    select * from {{ ref('stg_github__events') }}

),

slack_users as (

    select * from {{ ref('stg_slack__users') }}

),

slack_messages as (

    select * from {{ ref('stg_slack__messages') }}

),

emails as (

    select * from {{ ref('int_github_emails_attributed') }}

),

overrides as (

    select lower(platform) as platform, lower(account_id) as account_id, person_key
    from {{ ref('identity_overrides') }}

),

known_bots as (

    select distinct lower(trim(login)) as login from {{ ref('known_bots') }}

),

github_accounts as (

    select
        'github' as platform,
        actors.login as account_id,
        actors.login as username,
        coalesce(emails.author_name, actors.login) as display_name,
        emails.email,
        ({{ dbt.right('actors.login', 5) }} = '[bot]' or known_bots.login is not null) as is_bot,
        coalesce(overrides.person_key, 'github:' || actors.login) as person_key,
        case when overrides.person_key is not null then 'override' else 'github_login' end as match_reason
    from (select distinct actor_login as login from github_events where actor_login is not null) as actors
    left join emails on emails.login = actors.login and emails.is_primary
    left join known_bots on actors.login in (known_bots.login, known_bots.login || '[bot]')
    left join overrides on overrides.platform = 'github' and overrides.account_id = actors.login

),

slack_authors as (

    select
        coalesce(user_id, bot_id) as account_id,
        max(author_name) as author_name,
        {{ dbt.bool_or("bot_id is not null or coalesce(subtype, '') = 'bot_message'") }} as posted_as_bot
    from slack_messages
    where coalesce(user_id, bot_id) is not null
    group by coalesce(user_id, bot_id)

),

slack_profiles as (

    select
        coalesce(users.user_id, authors.account_id) as account_id,
        coalesce(users.username, authors.author_name) as username,
        coalesce(users.display_name, authors.author_name) as display_name,
        users.email,
        nullif(regexp_extract(lower(users.title), 'github\.com/([a-z0-9-]+(\[bot\])?)', 1), '') as title_login,
        coalesce(users.is_bot, false) or coalesce(authors.posted_as_bot, false) as is_bot
    from slack_users as users
    full outer join slack_authors as authors on users.user_id = authors.account_id

),

slack_accounts as (

    -- precedence: override seed, then same email, then github.com/<login> in the profile title
    select
        'slack' as platform,
        profiles.account_id,
        profiles.username,
        profiles.display_name,
        profiles.email,
        profiles.is_bot,
        coalesce(overrides.person_key, by_email.person_key, by_title.person_key, 'slack:' || profiles.account_id) as person_key,
        case
            when overrides.person_key is not null then 'override'
            when by_email.person_key is not null then 'email'
            when by_title.person_key is not null then 'profile_link'
            else 'slack_account'
        end as match_reason
    from slack_profiles as profiles
    left join emails on emails.email = profiles.email
    left join github_accounts as by_email on by_email.account_id = emails.login
    left join github_accounts as by_title on by_title.account_id = profiles.title_login
    left join overrides on overrides.platform = 'slack' and overrides.account_id = lower(profiles.account_id)

),

final as (

    select
        platform || ':' || account_id as account_key,
        platform,
        account_id,
        username,
        display_name,
        email,
        is_bot,
        person_key,
        {{ dbt.hash('person_key') }} as person_id,
        match_reason
    from (
        select * from github_accounts
        union all
        select * from slack_accounts
    ) as accounts

)

select * from final
