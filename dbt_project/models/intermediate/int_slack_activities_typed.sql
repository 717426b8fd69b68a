-- Slack messages -> `message` (top level) and `reply` (in a thread, ts <> thread_ts); channel
-- join/leave/topic/purpose notices are not activities; bot messages count under their bot id
{{ config(
    materialized='incremental',
    unique_key='activity_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail'
) }}
{#- Incremental by ingestion: a refresh types the messages staged since the last build, and
    every message of a channel ingested since (its name is the activity's container). -#}
with channels as (

    select * from {{ ref('stg_slack__channels') }}

),

messages as (

    select * from {{ ref('stg_slack__messages') }}
    {% if is_incremental() -%}
    {%- set since = "(select coalesce(max(ingested_at), cast('1900-01-01' as timestamp)) from " ~ this ~ ")" %}
    where ingested_at > {{ since }}
        or channel_id in (select channel_id from channels where ingested_at > {{ since }})
    {%- endif %}

),

final as (

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
        cast(null as {{ dbt.type_string() }}) as target_account_id,
        'slack' as origin,
        false as is_coauthor,
        greatest(messages.ingested_at, coalesce(channels.ingested_at, messages.ingested_at)) as ingested_at
    from messages
    left join channels on channels.channel_id = messages.channel_id
    where coalesce(messages.subtype, '') not in ('channel_join', 'channel_leave', 'channel_topic', 'channel_purpose')
        and coalesce(messages.user_id, messages.bot_id) is not null

)

select * from final
