with github_events as (

    select * from {{ ref('stg_github__events') }}

),

slack_messages as (

    select * from {{ ref('stg_slack__messages') }}

),

slack_channels as (

    select * from {{ ref('stg_slack__channels') }}

),

github_typed as (

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
    from github_events

),

github_activities as (

    select
        'github:' || event_id as activity_id,
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
        issue_author_login as target_account_id
    from github_typed
    where activity_type is not null and actor_login is not null

),

slack_activities as (

    select
        'slack:' || messages.message_id as activity_id,
        'slack' as platform,
        coalesce(messages.user_id, messages.bot_id) as account_id,
        case when messages.thread_ts is not null and messages.thread_ts <> messages.message_ts then 'reply' else 'message' end as activity_type,
        messages.posted_at as occurred_at,
        coalesce(channels.channel_name, messages.channel_id) as container,
        'slack:' || messages.channel_id || ':' || coalesce(messages.thread_ts, messages.message_ts) as thread_id,
        case
            when messages.thread_ts is not null and messages.thread_ts <> messages.message_ts
                then 'slack:' || messages.channel_id || ':' || messages.thread_ts
        end as parent_id,
        coalesce(messages.thread_ts, messages.message_ts) = messages.message_ts and {{ is_question('messages.text') }} as is_question,
        messages.text,
        {% set workspace_url = var('slack_workspace_url', '') | trim | replace("'", '') -%}
        {% if workspace_url -%}
        '{{ workspace_url.rstrip('/') }}/archives/' || messages.channel_id || '/p' || replace(messages.message_ts, '.', '') as url,
        {%- else -%}
        cast(null as {{ dbt.type_string() }}) as url,
        {%- endif %}
        cast(null as {{ dbt.type_string() }}) as target_account_id
    from slack_messages as messages
    left join slack_channels as channels on channels.channel_id = messages.channel_id
    where coalesce(messages.subtype, '') not in ('channel_join', 'channel_leave', 'channel_topic', 'channel_purpose')
        and coalesce(messages.user_id, messages.bot_id) is not null

),

final as (

    select
        *,
        activity_type not in ('star', 'fork') as is_contribution
    from (
        select * from github_activities
        union all
        select * from slack_activities
    ) as unioned

)

select * from final
