-- REST issues and pull requests -> opened / closed / merged activities, with the ids GH Archive
-- events get for the same happenings. A close needs its actor (closed_by, merged_by), which the
-- REST API gives only on single-object responses; without it no close activity is made.
with issues as (

    select * from {{ ref('stg_github__issues') }}

),

pull_requests as (

    select * from {{ ref('stg_github__pull_requests') }}

),

items as (

    -- an issue or pull request from either endpoint; the pulls endpoint wins for PR fields
    select
        coalesce(pull_requests.repo_name, issues.repo_name) as repo_name,
        coalesce(pull_requests.pull_request_number, issues.issue_number) as item_number,
        pull_requests.pull_request_id is not null or coalesce(issues.is_pull_request, false) as is_pull_request,
        coalesce(pull_requests.title, issues.title) as title,
        coalesce(pull_requests.body, issues.body) as body,
        coalesce(pull_requests.author_login, issues.author_login) as author_login,
        coalesce(pull_requests.created_at, issues.created_at) as created_at,
        coalesce(pull_requests.closed_at, issues.closed_at) as closed_at,
        coalesce(pull_requests.merged_at, issues.merged_at) as merged_at,
        coalesce(pull_requests.merged_by_login, issues.closed_by_login) as closed_by_login,
        coalesce(pull_requests.url, issues.url) as url
    from issues
    full outer join pull_requests
        on pull_requests.repo_name = issues.repo_name
        and pull_requests.pull_request_number = issues.issue_number

),

threaded as (

    select *, 'github:' || repo_name || '#' || cast(item_number as {{ dbt.type_string() }}) as thread_id
    from items
    where repo_name is not null and item_number is not null

),

happenings as (

    select
        thread_id || ':opened' as activity_id,
        author_login as account_id,
        case when is_pull_request then 'pr_opened' else 'issue_opened' end as activity_type,
        created_at as occurred_at,
        threaded.*
    from threaded
    union all
    select
        thread_id || ':closed:' || {{ timestamp_key('closed_at') }},
        closed_by_login,
        case when not is_pull_request then 'issue_closed' when merged_at is not null then 'pr_merged' else 'pr_closed' end,
        closed_at,
        threaded.*
    from threaded
    where closed_at is not null

),

final as (

    select
        activity_id,
        'github' as platform,
        account_id,
        activity_type,
        occurred_at,
        repo_name as container,
        thread_id,
        case when activity_type not in ('issue_opened', 'pr_opened') then thread_id end as parent_id,
        activity_type = 'issue_opened' and {{ is_question('title') }} as is_question,
        case when activity_type in ('issue_opened', 'pr_opened') then title || coalesce(chr(10) || chr(10) || body, '') end as text,
        url,
        author_login as target_account_id,
        'github_api' as origin,
        false as is_coauthor
    from happenings
    where account_id is not null and occurred_at is not null

)

select * from final
