-- commit author emails -> the github login they belong to (docs/CONTRACTS.md identity rules)
with events as (

    select * from {{ ref('stg_github__events') }}

),

commit_authors as (

    select
        pushes.actor_login,
        lower(trim(pushes.commit.author.email)) as email,
        pushes.commit.author.name as author_name
    from (
        select actor_login, unnest(push_commits) as commit
        from events
        where event_type = 'PushEvent' and actor_login is not null
    ) as pushes

),

mapped as (

    select
        email,
        author_name,
        nullif(regexp_extract(email, '^(?:[0-9]+\+)?([^@]+)@users\.noreply\.github\.com$', 1), '') as noreply_login,
        actor_login
    from commit_authors
    where email is not null and email <> ''

),

counted as (

    select
        email,
        coalesce(noreply_login, actor_login) as login,
        noreply_login is not null as is_noreply,
        max(author_name) as author_name,
        count(*) as commits
    from mapped
    group by email, coalesce(noreply_login, actor_login), noreply_login is not null

),

owned as (

    -- a noreply address names its login; any other email goes to the actor who pushed it most
    select *
    from (
        select *, row_number() over (partition by email order by commits desc, login) as owner_rank
        from counted
    ) as ranked
    where owner_rank = 1

),

final as (

    select
        email,
        login,
        author_name,
        commits,
        is_noreply,
        row_number() over (partition by login order by is_noreply, commits desc, email) = 1 as is_primary
    from owned

)

select * from final
