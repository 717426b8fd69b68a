{#- What the thread- and activity-grained incremental marts recompute (issue 4).

    Their rows depend on whole threads (a thread's title is its earliest activity's text, an
    item's first response can come from any of its replies) rather than on days, and a
    refresh's changes are scattered over history (an edited old message, an old activity
    re-attributed to a merged person), so they recompute the touched threads or activities
    over their whole history ('entity' rows of the recompute strategy) instead of every day
    from the earliest change on. What touches them:
    - fct_activities rows revised since the model last ran (`revised_at`: any column, text and
      url included, since these marts show titles and links). meta.mart_watermarks.updated_at
      is the start of the dbt run that last built the model, and fct_activities stamps the
      start of the run that wrote a row, so `revised_at > updated_at` is exactly what it has
      not seen (the after_ml step starts after the models step of the same refresh);
    - ml.sentiment rows scored since the model last read them (after_ml models);
    - activities fct_activities removed since (meta.fct_activities_removed: their thread is
      touched, their row goes);
    - for "now"-dependent columns, what the model's own rows say is still undecided.
    An entity with no row left (e.g. a question edited into a statement) cannot be replaced by
    'entity' rows, so each model's post-hook deletes the touched entities that have no row now.
    Not seen: an activity that moves to another thread (no source does that: thread ids name
    the issue or the root message) leaves its old thread's rows as they were.
-#}

{#- Threads (fct_activities.thread_id, else the activity itself) with an activity revised since
    this model last ran and, with scores=true, with an activity scored since it last read
    ml.sentiment. -#}
{% macro revised_threads(scores=false) -%}
    select coalesce(revised.thread_id, revised.activity_id) as thread
    from {{ ref('fct_activities') }} as revised
    where revised.revised_at > {{ mart_watermark('updated_at') }}
    union
    select coalesce(removed.thread_id, removed.activity_id) as thread
    from {{ fct_removed_activities() }} as removed
    where removed.removed_at > {{ mart_watermark('updated_at') }}
    {%- if scores %}
    union
    select coalesce(rescored.thread_id, rescored.activity_id) as thread
    from {{ source('ml', 'sentiment') }} as sentiment
    inner join {{ ref('fct_activities') }} as rescored on rescored.activity_id = sentiment.activity_id
    where sentiment.scored_at > {{ mart_watermark('scores_through') }}
    {%- endif %}
{%- endmacro %}

{#- mart_sentiment_thread_days' post-hook: a touched thread with no scored activity left (all moved or unscored) has no row
    to replace its old ones, so they are deleted here (runs before the watermark moves on). -#}
{% macro delete_unscored_threads() -%}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where thread_id in ({{ revised_threads(scores=true) }})
        and thread_id not in (
            select coalesce(activities.thread_id, activities.activity_id)
            from {{ ref('fct_activities') }} as activities
            inner join {{ source('ml', 'sentiment') }} as sentiment on sentiment.activity_id = activities.activity_id
            where coalesce(activities.thread_id, activities.activity_id) in ({{ revised_threads(scores=true) }})
        )
    {%- else -%}
    select 1
    {%- endif -%}
{%- endmacro %}

{#- mart_sentiment_weekly__messages: activities whose facts changed since it last ran, that
    were scored since it last read ml.sentiment, or that were removed (text edits do not matter
    to it). -#}
{% macro sentiment_messages_touched() -%}
    select changed.activity_id
    from {{ ref('fct_activities') }} as changed
    where changed.changed_at > {{ mart_watermark('changes_through') }}
    union
    select sentiment.activity_id
    from {{ source('ml', 'sentiment') }} as sentiment
    where sentiment.scored_at > {{ mart_watermark('scores_through') }}
    union
    select removed.activity_id
    from {{ fct_removed_activities() }} as removed
    where removed.removed_at > {{ mart_watermark('updated_at') }}
{%- endmacro %}

{#- Its post-hook: a touched activity that no longer qualifies (now a bot's, say) has no row to
    replace its old one. -#}
{% macro delete_unqualified_sentiment_messages() -%}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where activity_id in ({{ sentiment_messages_touched() }})
        and activity_id not in (
            select activities.activity_id
            from {{ ref('fct_activities') }} as activities
            inner join {{ source('ml', 'sentiment') }} as sentiment on sentiment.activity_id = activities.activity_id
            where activities.activity_id in ({{ sentiment_messages_touched() }})
                and activities.is_contribution
                and not activities.is_bot
                and activities.activity_type not in {{ non_conversation_activity_types() }}
        )
    {%- else -%}
    select 1
    {%- endif -%}
{%- endmacro %}

{#- mart_responsiveness: is this fct_activities row an item (issue, PR, forum topic, chat question)? -#}
{% macro is_responsiveness_item() -%}
    thread_id is not null and parent_id is null
        and (activity_type in ('issue_opened', 'pr_opened', 'topic') or (activity_type = 'message' and is_question))
{%- endmacro %}

{#- Its post-hook: a held item whose activity was revised and is no item any more (a question
    edited into a statement) has no row to replace it. -#}
{% macro delete_former_responsiveness_items() -%}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where item_id in (
        select activity_id from {{ ref('fct_activities') }}
        where revised_at > {{ mart_watermark('updated_at') }}
            and not ({{ is_responsiveness_item() }})
        union
        select activity_id from {{ fct_removed_activities() }}
        where removed_at > {{ mart_watermark('updated_at') }}
    )
    {%- else -%}
    select 1
    {%- endif -%}
{%- endmacro %}

{#- mart_responsiveness' pre-hook: before a refresh replaces the items of the touched threads, log
    each touched thread (a row without item) and the first response each of its items had
    (meta.mart_responsiveness_replaced), so that mart_contributor_health__responses can tell a
    first response that changed from one only relabelled by an identity merge or split
    (health_responses_changed_from). Runs inside the model's transaction. What every reader has
    read (its watermark's updated_at) is pruned first, so the log holds about one refresh. -#}
{% macro log_replaced_responsiveness() -%}
    {%- set readers = ['mart_contributor_health__responses', 'mart_contributor_health__workload',
                       'mart_contributor_health__risk', 'mart_contributor_health'] -%}
    {%- if is_incremental() -%}
    delete from meta.mart_responsiveness_replaced
    where {{ readers | length }} = (select count(*) from meta.mart_watermarks where model in ('{{ readers | join("', '") }}'))
        and replaced_at <= (select min(updated_at) from meta.mart_watermarks where model in ('{{ readers | join("', '") }}'));
    insert into meta.mart_responsiveness_replaced (thread_id, item_id, first_response_at, responder_person_id, replaced_at)
    select touched.thread, null, null, null, {{ run_started_timestamp() }}
    from ({{ responsiveness_touched_threads() }}) as touched (thread);
    -- the items of the threads just logged
    insert into meta.mart_responsiveness_replaced (thread_id, item_id, first_response_at, responder_person_id, replaced_at)
    select existing.thread_id, existing.item_id, existing.first_response_at, existing.responder_person_id,
        {{ run_started_timestamp() }}
    from {{ this }} as existing
    where existing.thread_id in (
        select touched.thread_id from meta.mart_responsiveness_replaced as touched
        where touched.replaced_at = {{ run_started_timestamp() }} and touched.item_id is null
    )
    {%- else -%}
    select 1
    {%- endif -%}
{%- endmacro %}

{#- mart_responsiveness: threads with an activity revised since it last ran, and threads of held
    items whose reaction or undecided columns would now read otherwise (a reaction appeared or
    went, the latest activity moved past an item's var unanswered_after_days, the var changed). -#}
{% macro responsiveness_touched_threads() -%}
    {{ revised_threads() }}
    union
    select existing.thread_id
    from {{ this }} as existing
    cross join (select max(occurred_at) as as_of_at from {{ ref('fct_activities') }}) as as_of_now
    left join {{ ref('mart_responsiveness__reactions') }} as reactions_now
        on reactions_now.activity_id = existing.item_id
    where existing.has_reaction is distinct from (reactions_now.activity_id is not null)
        or reactions_now.first_reacted_at is not null
        or existing.is_unanswered is distinct from (
            case
                when existing.first_response_at <= {{ dbt.dateadd('day', var('unanswered_after_days'), 'existing.created_at') }} then false
                when {{ dbt.dateadd('day', var('unanswered_after_days'), 'existing.created_at') }} <= as_of_now.as_of_at then true
            end
        )
{%- endmacro %}
