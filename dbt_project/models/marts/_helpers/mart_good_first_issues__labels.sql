-- the current labels of every GitHub issue: those of the latest event that carries the issue
with events as (

    select * from {{ ref('stg_github__events') }}

),

issue_events as (

    select
        'github:' || repo_name || '#' || cast(issue_number as {{ dbt.type_string() }}) as thread_id,
        {{ string_array_joined('issue_label_names') }} as labels,
        row_number() over (
            partition by repo_name, issue_number
            order by created_at desc, event_id desc
        ) as recency
    from events
    where event_type in ('IssuesEvent', 'IssueCommentEvent')
        and issue_number is not null

),

final as (

    select thread_id, labels
    from issue_events
    where recency = 1

)

select * from final
