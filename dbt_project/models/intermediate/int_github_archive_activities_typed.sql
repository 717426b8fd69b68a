{{ config(
    materialized='incremental',
    unique_key='activity_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail'
) }}
-- GH Archive events -> activities; activity ids name the GitHub object (not the event) so the
-- REST models build the same id for the same happening (deduplicated in int_activities_unioned)
{# Incremental by ingestion: a refresh types only the events staged since the last build and
    re-ranks each activity they touch against the copy already kept (earliest event wins). #}
with events as (

    select * from {{ ref('stg_github__events') }}
    {% if is_incremental() -%}
    where ingested_at > (select coalesce(max(ingested_at), cast('1900-01-01' as timestamp)) from {{ this }})
    {%- endif %}

),

typed as (

    select
        *,
        case
            when event_type = 'IssuesEvent' and action = 'opened' then 'issue_opened'
            when event_type = 'IssuesEvent' and action = 'closed' then 'issue_closed'
            when event_type = 'PullRequestEvent' and action = 'opened' then 'pr_opened'
            when event_type = 'PullRequestEvent' and action = 'closed' and is_merged then 'pr_merged'
            when event_type = 'PullRequestEvent' and action = 'closed' then 'pr_closed'
            when coalesce(action, '') in ('edited', 'deleted') then null
            when event_type = 'IssueCommentEvent' then 'issue_comment'
            when event_type = 'PullRequestReviewEvent' then 'pr_review'
            when event_type = 'PullRequestReviewCommentEvent' then 'pr_review_comment'
            when event_type = 'PushEvent' then 'push'
            when event_type = 'ReleaseEvent' then 'release'
            when event_type = 'WatchEvent' then 'star'
            when event_type = 'ForkEvent' then 'fork'
        end as activity_type,
        case when issue_number is not null then 'github:' || repo_name || '#' || cast(issue_number as {{ dbt.type_string() }}) end as issue_thread_id
    from events

),

final as (

    select
        case
            when activity_type in ('issue_opened', 'pr_opened') and issue_thread_id is not null
                then issue_thread_id || ':opened'
            when activity_type in ('issue_closed', 'pr_closed', 'pr_merged') and issue_thread_id is not null
                then issue_thread_id || ':closed:' || {{ timestamp_key('coalesce(issue_closed_at, created_at)') }}
            when activity_type in ('issue_comment', 'pr_review_comment') and comment_id is not null
                then 'github:' || activity_type || ':' || cast(comment_id as {{ dbt.type_string() }})
            when activity_type = 'pr_review' and review_id is not null
                then 'github:pr_review:' || cast(review_id as {{ dbt.type_string() }})
            when activity_type = 'release' and release_id is not null
                then 'github:release:' || cast(release_id as {{ dbt.type_string() }})
            when activity_type = 'star' then 'github:star:' || repo_name || ':' || actor_login
            when activity_type = 'fork' and fork_id is not null
                then 'github:fork:' || cast(fork_id as {{ dbt.type_string() }})
            else 'github:event:' || event_id
        end as activity_id,
        'github' as platform,
        actor_login as account_id,
        activity_type,
        created_at as occurred_at,
        repo_name as container,
        issue_thread_id as thread_id,
        case when activity_type not in ('issue_opened', 'pr_opened') then issue_thread_id end as parent_id,
        activity_type = 'issue_opened' and {{ is_question('issue_title') }} as is_question,
        case
            when activity_type in ('issue_opened', 'pr_opened') then issue_title || coalesce(chr(10) || chr(10) || issue_body, '')
            when activity_type in ('issue_comment', 'pr_review_comment') then comment_body
            when activity_type = 'pr_review' then review_body
            when activity_type = 'push' then push_commits[len(push_commits)].message
            when activity_type = 'release' then coalesce(release_name, release_tag) || coalesce(chr(10) || chr(10) || release_body, '')
        end as text,
        case
            when activity_type in ('issue_comment', 'pr_review_comment') then comment_url
            when activity_type = 'pr_review' then review_url
            when activity_type = 'push' then 'https://github.com/' || repo_name || '/commit/' || push_head_sha
            when activity_type = 'release' then release_url
            when activity_type = 'star' then 'https://github.com/' || repo_name
            when activity_type = 'fork' then fork_url
            else issue_url
        end as url,
        issue_author_login as target_account_id,
        'gharchive' as origin,
        false as is_coauthor,
        ingested_at
    from typed
    where activity_type is not null and actor_login is not null

),

{%- set columns = 'activity_id, platform, account_id, activity_type, occurred_at, container, thread_id, '
                 ~ 'parent_id, is_question, text, url, target_account_id, origin, is_coauthor, ingested_at' %}
candidates as (

    select {{ columns }} from final
    {% if is_incremental() -%}
    union all
    select {{ columns }} from {{ this }}
    where activity_id in (select activity_id from final)
    {%- endif %}

),

deduped as (

    -- GH Archive repeats some happenings (a review "created" then "updated" event carry the
    -- same review id): one activity per object, its earliest event
    select
        *,
        row_number() over (partition by activity_id order by occurred_at, url) as event_rank,
        max(ingested_at) over (partition by activity_id) as latest_ingested_at
    from candidates

)

select
    activity_id, platform, account_id, activity_type, occurred_at, container, thread_id, parent_id,
    is_question, text, url, target_account_id, origin, is_coauthor, latest_ingested_at as ingested_at
from deduped
where event_rank = 1
