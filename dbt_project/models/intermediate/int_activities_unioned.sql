{%- set typed_models = ['int_github_archive_activities_typed', 'int_github_item_activities_typed',
                        'int_github_response_activities_typed', 'int_github_repo_activities_typed',
                        'int_git_activities_typed', 'int_slack_activities_typed',
                        'int_discord_activities_typed', 'int_discourse_activities_typed'] -%}
{%- set columns = ['activity_id', 'platform', 'account_id', 'activity_type', 'occurred_at', 'container',
                   'thread_id', 'parent_id', 'is_question', 'text', 'url', 'target_account_id',
                   'origin', 'is_coauthor'] -%}
with unioned as (

    {% for model in typed_models -%}
    select {{ columns | join(', ') }} from {{ ref(model) }}
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

),

deduplicated as (

    -- GH Archive and the REST API report one happening under one activity_id: keep one copy,
    -- GH Archive's first (it names the actor as of the event), then the earliest
    select
        *,
        row_number() over (
            partition by activity_id
            order by case origin when 'gharchive' then 0 else 1 end, occurred_at, account_id
        ) as copy_rank
    from unioned

),

final as (

    select
        activity_id,
        platform,
        account_id,
        activity_type,
        occurred_at,
        container,
        thread_id,
        parent_id,
        is_question,
        text,
        url,
        target_account_id,
        activity_type not in ('star', 'fork') as is_contribution,
        origin,
        is_coauthor
    from deduplicated
    where copy_rank = 1

)

select * from final
