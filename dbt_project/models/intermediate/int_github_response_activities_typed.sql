-- REST issue comments, review comments and reviews -> activities, with the ids GH Archive events
-- get for the same comments and reviews
with comments as (

    select * from {{ ref('stg_github__comments') }}

),

reviews as (

    select * from {{ ref('stg_github__reviews') }}

),

responses as (

    select
        case when is_review_comment then 'pr_review_comment' else 'issue_comment' end as activity_type,
        comment_id as object_id,
        author_login,
        created_at as occurred_at,
        repo_name,
        issue_number,
        body,
        url
    from comments
    union all
    select 'pr_review', review_id, author_login, submitted_at, repo_name, pull_request_number, body, url
    from reviews
    where coalesce(state, '') <> 'pending'

),

final as (

    select
        'github:' || activity_type || ':' || cast(object_id as {{ dbt.type_string() }}) as activity_id,
        'github' as platform,
        author_login as account_id,
        activity_type,
        occurred_at,
        repo_name as container,
        'github:' || repo_name || '#' || cast(issue_number as {{ dbt.type_string() }}) as thread_id,
        'github:' || repo_name || '#' || cast(issue_number as {{ dbt.type_string() }}) as parent_id,
        false as is_question,
        body as text,
        url,
        cast(null as {{ dbt.type_string() }}) as target_account_id,
        'github_api' as origin,
        false as is_coauthor
    from responses
    where author_login is not null and occurred_at is not null

)

select * from final
