{{ config(tags=['after_ml']) }}
-- the community's weekly health (DESIGN §4/§5): one row per ISO week, empty weeks included
with contributors as (

    select * from {{ ref('mart_community_health_weekly__contributors') }}

),

responsiveness as (

    select * from {{ ref('mart_community_health_weekly__responsiveness') }}

),

factors as (

    select * from {{ ref('mart_community_health_weekly__factors') }}

),

sentiment as (

    select * from {{ ref('mart_community_health_weekly__sentiment') }}

),

score as (

    select * from {{ ref('mart_community_health_weekly__score') }}

),

final as (

    select
        contributors.week_start,
        contributors.iso_week,
        contributors.active,
        contributors.new,
        contributors.returning_persons as {{ adapter.quote('returning') }},
        contributors.inactive,
        contributors.inactive as churned,
        contributors.activities,
        contributors.episodic,
        contributors.retention,
        responsiveness.items_opened,
        responsiveness.ttfr_median_hours,
        responsiveness.ttfr_p85_hours,
        responsiveness.unanswered_questions,
        responsiveness.unanswered_rate,
        responsiveness.prs_opened,
        responsiveness.prs_closed,
        responsiveness.prs_merged,
        responsiveness.closure_ratio,
        responsiveness.acceptance_ratio,
        responsiveness.time_to_close_median_hours,
        responsiveness.open_backlog,
        factors.bus_factor,
        factors.elephant_factor,
        sentiment.sentiment_avg,
        score.health_score
    from contributors
    inner join responsiveness on responsiveness.week_start = contributors.week_start
    inner join factors on factors.week_start = contributors.week_start
    inner join sentiment on sentiment.week_start = contributors.week_start
    inner join score on score.week_start = contributors.week_start

)

select * from final
