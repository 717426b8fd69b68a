{{ config(materialized='incremental', incremental_strategy='recompute', recompute_range='created_at',
          recompute_entity='item_id', on_schema_change='fail', pre_hook="{{ log_replaced_responsiveness() }}",
          post_hook=["{{ delete_former_responsiveness_items() }}", "{{ record_mart_watermark() }}"]) }}
-- time to first response and to close per issue, pull request, forum topic and chat question (DESIGN §5)
-- Item-incremental: a refresh recomputes the items of touched threads (macros/thread_marts.sql).
with activities as (

    -- the columns used, not *: the texts are the bulk of the table
    select activity_id, thread_id, parent_id, activity_type, platform, container, url, person_id, is_bot,
        is_question, occurred_at
    from {{ ref('fct_activities') }}
    {%- if is_incremental() %}
    where thread_id in ({{ responsiveness_touched_threads() }})
    {%- endif %}

),

reactions as (

    select * from {{ ref('mart_responsiveness__reactions') }}

),

items as (

    select
        activity_id as item_id,
        thread_id,
        case activity_type
            when 'issue_opened' then 'issue' when 'pr_opened' then 'pull_request' when 'topic' then 'forum_topic'
            else 'chat_question'
        end as item_kind,
        platform, container, url, person_id as author_person_id, is_bot as is_bot_author, is_question,
        occurred_at as created_at
    from activities
    where {{ is_responsiveness_item() }}

),

responses as (

    -- a reply, comment or review in the item's thread by a human other than the author
    select
        items.item_id,
        responses.occurred_at,
        responses.person_id,
        row_number() over (partition by items.item_id order by responses.occurred_at, responses.activity_id) as response_rank
    from items
    inner join activities as responses
        on responses.thread_id = items.thread_id
        and responses.activity_id <> items.item_id
        and responses.activity_type in {{ response_activity_types() }}
        and not responses.is_bot
        and responses.person_id <> items.author_person_id
        and responses.occurred_at >= items.created_at

),

closes as (

    select
        items.item_id,
        max(closes.occurred_at) as closed_at,
        {{ dbt.bool_or("closes.activity_type = 'pr_merged'") }} as is_merged
    from items
    inner join activities as closes
        on closes.thread_id = items.thread_id
        and closes.activity_type in {{ close_activity_types() }}
        and closes.occurred_at >= items.created_at
    group by items.item_id

),

as_of as (

    select max(occurred_at) as as_of_at from {{ ref('fct_activities') }}

),

final as (

    select
        items.*,
        first_responses.occurred_at as first_response_at,
        {{ hours_between('items.created_at', 'first_responses.occurred_at') }} as hours_to_first_response,
        first_responses.person_id as responder_person_id,
        case
            when reactions.first_reacted_at is not null and first_responses.occurred_at is not null
                then least(reactions.first_reacted_at, first_responses.occurred_at)
            else coalesce(reactions.first_reacted_at, first_responses.occurred_at)
        end as first_attention_at,
        reactions.activity_id is not null as has_reaction,
        closes.closed_at,
        {{ hours_between('items.created_at', 'closes.closed_at') }} as hours_to_close,
        coalesce(closes.is_merged, false) as is_merged,
        case
            when first_responses.occurred_at <= {{ dbt.dateadd('day', var('unanswered_after_days'), 'items.created_at') }} then false
            when {{ dbt.dateadd('day', var('unanswered_after_days'), 'items.created_at') }} <= as_of.as_of_at then true
        end as is_unanswered
        {{- ", 'entity' as _recompute" if is_incremental() }}
    from items
    cross join as_of
    left join responses as first_responses
        on first_responses.item_id = items.item_id and first_responses.response_rank = 1
    left join closes on closes.item_id = items.item_id
    left join reactions on reactions.activity_id = items.item_id

)

select * from final
