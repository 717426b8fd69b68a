-- every commit author (and co-author) email of the git history, with the name used most with it
with commits as (

    select * from {{ ref('stg_git__commits') }}

),

known_bots as (

    select distinct lower(trim(login)) as login from {{ ref('known_bots') }}

),

authors as (

    select author_email as email, author_name as name
    from commits
    union all
    select lower(trim(co_authored.co_author.email)), nullif(trim(co_authored.co_author.name), '')
    from (select unnest(co_authors) as co_author from commits) as co_authored

),

names as (

    -- the name written most often with the email (ties: first A-Z)
    select email, name
    from (
        select email, name, row_number() over (partition by email order by count(*) desc, name) as name_rank
        from authors
        where name is not null
        group by email, name
    ) as ranked
    where name_rank = 1

),

identified as (

    -- a bot handle: the GitHub login of a noreply address, else the author name
    select
        emails.email,
        names.name,
        lower(coalesce({{ noreply_login('emails.email') }}, names.name)) as handle
    from (select distinct email from authors where nullif(email, '') is not null) as emails
    left join names on names.email = emails.email

),

final as (

    select
        'git:' || identified.email as account_key,
        'git' as platform,
        identified.email as account_id,
        cast(null as {{ dbt.type_string() }}) as username,
        coalesce(identified.name, identified.email) as display_name,
        identified.name as full_name,
        identified.email,
        cast(null as {{ dbt.type_string() }}) as company,
        cast(null as {{ dbt.type_string() }}) as profile_text,
        case
            when {{ dbt.right('identified.handle', 5) }} = '[bot]' or identified.email like '%[bot]@%' then 'bot_suffix'
            when known_bots.login is not null then 'known_bots_seed'
        end as bot_reason
    from identified
    left join known_bots on identified.handle in (known_bots.login, known_bots.login || '[bot]')

)

select *, bot_reason is not null as is_bot from final
