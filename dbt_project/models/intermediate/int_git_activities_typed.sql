-- git commits -> one `commit` activity for the author and one per co-author (is_coauthor);
-- merge commits are not activities (the merge is counted as pr_merged or push on GitHub)
with commits as (

    select * from {{ ref('stg_git__commits') }}
    where not is_merge

),

credited as (

    select commit_key, repository, sha, author_email as email, false as is_coauthor,
        coalesce(authored_at, committed_at) as occurred_at, message
    from commits
    union all
    select commit_key, repository, sha, lower(trim(co_author.email)), true,
        coalesce(authored_at, committed_at), message
    from (select *, unnest(co_authors) as co_author from commits) as co_authored
    where lower(trim(co_author.email)) <> coalesce(author_email, '')

),

final as (

    select
        'git:' || commit_key || case when is_coauthor then ':co-author:' || email else '' end as activity_id,
        'git' as platform,
        email as account_id,
        'commit' as activity_type,
        occurred_at,
        repository as container,
        cast(null as {{ dbt.type_string() }}) as thread_id,
        cast(null as {{ dbt.type_string() }}) as parent_id,
        false as is_question,
        message as text,
        case
            when repository like 'http%'
                then regexp_replace(repository, '(\.git)?/*$', '') || '/commit/' || sha
        end as url,
        cast(null as {{ dbt.type_string() }}) as target_account_id,
        'git' as origin,
        is_coauthor
    from credited
    where nullif(email, '') is not null and occurred_at is not null

)

select * from final
