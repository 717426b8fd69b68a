-- commit author emails -> the github login they belong to (docs/CONTRACTS.md identity rules)
-- Reads the per-commit helper (incremental by ingestion), so a refresh aggregates narrow
-- precomputed rows instead of unnesting and normalizing every push again.
with commit_authors as (

    select * from {{ ref('int_github_emails_attributed__commits') }}

),

pusher_names as (

    -- the author name each actor pushes most often (ties: first A-Z)
    select actor_login, normalized_name
    from (
        select
            actor_login,
            normalized_name,
            row_number() over (partition by actor_login order by count(*) desc, normalized_name) as name_rank
        from commit_authors
        where normalized_name is not null
        group by actor_login, normalized_name
    ) as ranked
    where name_rank = 1

),

candidates as (

    -- a noreply address names its login; any other email is the pusher's only when the push
    -- has a single author email or the author name is the pusher's usual author name
    select
        commit_authors.email,
        commit_authors.author_name,
        coalesce(commit_authors.noreply_login, commit_authors.actor_login) as login,
        case
            when commit_authors.noreply_login is not null then 1
            when commit_authors.normalized_name = pusher_names.normalized_name then 2
            when commit_authors.push_author_emails = 1 then 3
        end as rule_rank
    from commit_authors
    left join pusher_names on pusher_names.actor_login = commit_authors.actor_login

),

counted as (

    select
        email,
        login,
        max(author_name) as author_name,
        count(*) as commits,
        min(rule_rank) as rule_rank
    from candidates
    where rule_rank is not null
    group by email, login

),

owned as (

    -- an email belongs to the login it was attributed to most often (ties: first login A-Z)
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
        rule_rank = 1 as is_noreply,
        row_number() over (partition by login order by rule_rank = 1, commits desc, email) = 1 as is_primary,
        case rule_rank when 1 then 'noreply' when 2 then 'pusher_name' else 'single_author_push' end as attribution_rule
    from owned

)

select * from final
