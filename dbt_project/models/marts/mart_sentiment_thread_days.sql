{{ config(tags=['after_ml'], materialized='incremental', incremental_strategy='recompute',
          recompute_range='activity_date', recompute_entity='thread_id', on_schema_change='fail',
          post_hook=["{{ delete_unscored_threads() }}", "{{ record_mart_watermark(scores=true) }}"]) }}
-- scored messages per thread and day (DESIGN §5 Sentiment), the grain the Sentiment page's
-- "most negative threads" needs: its date, platform, container and bot filters apply per
-- activity, so summing these rows over the filtered days gives the same figures as ranking
-- every scored activity (apps/streamlit/queries_sentiment.py) without joining a million rows.
-- Thread-incremental: a refresh recomputes, over their whole history, the threads with an
-- activity revised or scored since the last run (macros/thread_marts.sql); a thread's title
-- is its earliest activity's, so a day range would reach back to every old thread touched.
with activities as (

    select activity_id, thread_id, platform, container, is_bot, occurred_at, url, text
    from {{ ref('fct_activities') }}
    {%- if is_incremental() %}
    where coalesce(thread_id, activity_id) in ({{ revised_threads(scores=true) }})
    {%- endif %}

),

scores as (

    select activity_id, compound from {{ source('ml', 'sentiment') }}

),

threaded as (

    select *, coalesce(thread_id, activity_id) as thread
    from activities

),

openers as (

    -- a thread's title and link are those of its earliest activity, scored or not
    select
        thread,
        left(split_part(min_by(text, occurred_at), chr(10), 1), 120) as thread_title,
        min_by(url, occurred_at) as thread_url
    from threaded
    group by thread

),

scored as (

    select
        threaded.thread,
        cast(threaded.occurred_at as date) as activity_date,
        threaded.platform,
        threaded.container,
        coalesce(threaded.is_bot, false) as is_bot,
        threaded.occurred_at,
        threaded.url,
        scores.compound
    from threaded
    inner join scores on scores.activity_id = threaded.activity_id

),

days as (

    select
        thread as thread_id,
        activity_date,
        platform,
        container,
        is_bot,
        count(*) as messages,
        sum(compound) as sum_compound,
        min(compound) as min_compound,
        sum(case when compound < -0.3 then 1 else 0 end) as negative_messages,
        min(occurred_at) as first_scored_at,
        min_by(url, occurred_at) as first_scored_url
    from scored
    group by thread, activity_date, platform, container, is_bot

),

final as (

    select
        days.*,
        openers.thread_title,
        openers.thread_url
        {{- ", 'entity' as _recompute" if is_incremental() }}
    from days
    inner join openers on openers.thread = days.thread_id

)

select * from final
order by activity_date, thread_id
