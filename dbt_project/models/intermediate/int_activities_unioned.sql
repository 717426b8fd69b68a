{{ config(
    materialized='incremental',
    unique_key='activity_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail'
) }}
{#- Incremental: the two large typed models (GH Archive events, Slack messages) are themselves
    incremental and stamp each row with its ingestion time; a refresh takes their rows newer
    than this table's watermark for that origin, plus every row of the small REST, git,
    Discord and Discourse models, and re-deduplicates each activity id they touch against all
    copies upstream. `revised_at` is the start of the run that last changed a column
    fct_activities reads (every column but target_account_id, origin, is_coauthor and
    ingested_at): fct_activities reads only rows revised since it last ran, so the small models
    taken whole each time, or a re-ingested but unchanged Slack message, cost it nothing. -#}
{%- set typed_models = ['int_github_archive_activities_typed', 'int_github_item_activities_typed',
                        'int_github_response_activities_typed', 'int_github_repo_activities_typed',
                        'int_git_activities_typed', 'int_slack_activities_typed',
                        'int_discord_activities_typed', 'int_discourse_activities_typed'] -%}
{%- set stamped = {'int_github_archive_activities_typed': 'gharchive', 'int_slack_activities_typed': 'slack'} -%}
{%- set columns = ['activity_id', 'platform', 'account_id', 'activity_type', 'occurred_at', 'container',
                   'thread_id', 'parent_id', 'is_question', 'text', 'url', 'target_account_id',
                   'origin', 'is_coauthor'] -%}
{%- set read_by_fct = ['platform', 'account_id', 'activity_type', 'occurred_at', 'container', 'thread_id',
                       'parent_id', 'is_question', 'is_contribution', 'text', 'url'] -%}
with
{% if is_incremental() -%}
touched as (

    {% for model in typed_models -%}
    select activity_id from {{ ref(model) }}
    {%- if model in stamped %}
    where ingested_at > (
        select coalesce(max(ingested_at), cast('1900-01-01' as timestamp)) from {{ this }}
        where origin = '{{ stamped[model] }}'
    )
    {%- endif %}
    {% if not loop.last %}union
    {% endif -%}
    {%- endfor %}

),

{% endif -%}
unioned as (

    {% for model in typed_models -%}
    select {{ columns | join(', ') }},
        {{ 'ingested_at' if model in stamped else 'cast(null as timestamp) as ingested_at' }}
    from {{ ref(model) }}
    {%- if is_incremental() %}
    where activity_id in (select activity_id from touched)
    {%- endif %}
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

kept as (

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
        is_coauthor,
        ingested_at
    from deduplicated
    where copy_rank = 1

),

final as (

    {% if is_incremental() -%}
    select
        kept.*,
        case
            when existing.activity_id is not null
                {%- for column in read_by_fct %}
                and existing.{{ column }} is not distinct from kept.{{ column }}
                {%- endfor %}
                then existing.revised_at
            else {{ run_started_timestamp() }}
        end as revised_at
    from kept
    left join {{ this }} as existing on existing.activity_id = kept.activity_id
    {%- else -%}
    select kept.*, {{ run_started_timestamp() }} as revised_at
    from kept
    {%- endif %}

)

select * from final
