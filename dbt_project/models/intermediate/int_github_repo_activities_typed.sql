-- REST releases, stargazers and forks -> activities, with the ids GH Archive events get for the
-- same release, star and fork
with releases as (

    select * from {{ ref('stg_github__releases') }}

),

stars as (

    select * from {{ ref('stg_github__stars') }}

),

forks as (

    select * from {{ ref('stg_github__forks') }}

),

happenings as (

    select
        'github:release:' || cast(release_id as {{ dbt.type_string() }}) as activity_id,
        author_login as account_id,
        'release' as activity_type,
        coalesce(published_at, created_at) as occurred_at,
        repo_name,
        coalesce(release_name, tag_name) || coalesce(chr(10) || chr(10) || body, '') as text,
        url
    from releases
    where not is_draft
    union all
    select
        'github:star:' || repo_name || ':' || user_login,
        user_login,
        'star',
        starred_at,
        repo_name,
        cast(null as {{ dbt.type_string() }}),
        'https://github.com/' || repo_name
    from stars
    union all
    select
        'github:fork:' || cast(fork_id as {{ dbt.type_string() }}),
        owner_login,
        'fork',
        created_at,
        repo_name,
        cast(null as {{ dbt.type_string() }}),
        url
    from forks

),

final as (

    select
        activity_id,
        'github' as platform,
        account_id,
        activity_type,
        occurred_at,
        repo_name as container,
        cast(null as {{ dbt.type_string() }}) as thread_id,
        cast(null as {{ dbt.type_string() }}) as parent_id,
        false as is_question,
        text,
        url,
        cast(null as {{ dbt.type_string() }}) as target_account_id,
        'github_api' as origin,
        false as is_coauthor
    from happenings
    where account_id is not null and occurred_at is not null

)

select * from final
