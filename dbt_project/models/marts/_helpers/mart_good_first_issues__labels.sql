-- the current labels of every GitHub issue: those of the latest event that carries the issue.
-- Staging does not expose labels yet, so this bridge reads the raw event payload; switch it
-- to stg_github__events once that model has an issue_labels column.
with events as (

    select * from {{ source('raw_github', 'events') }}

),

issue_events as (

    select
        'github:' || repo_name || '#' || {{ json_string('payload', '$.payload.issue.number') }} as thread_id,
        {{ json_string_array_joined('payload', '$.payload.issue.labels[*].name') }} as labels,
        row_number() over (
            partition by repo_name, {{ json_string('payload', '$.payload.issue.number') }}
            order by updated_at desc, event_id desc
        ) as recency
    from events
    where event_type in ('IssuesEvent', 'IssueCommentEvent')
        and {{ json_string('payload', '$.payload.issue.number') }} is not null

),

final as (

    select thread_id, labels
    from issue_events
    where recency = 1

)

select * from final
