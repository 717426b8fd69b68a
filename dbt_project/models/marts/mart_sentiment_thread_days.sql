{{ config(tags=['after_ml']) }}
-- scored messages per thread and day (DESIGN §5 Sentiment), the grain the Sentiment page's
-- "most negative threads" needs: its date, platform, container and bot filters apply per
-- activity, so summing these rows over the filtered days gives the same figures as ranking
-- every scored activity (apps/streamlit/queries_sentiment.py) without joining a million rows.
with activities as (

    select * from {{ ref('fct_activities') }}

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

    select days.*, openers.thread_title, openers.thread_url
    from days
    inner join openers on openers.thread = days.thread_id

)

select * from final
order by activity_date, thread_id
