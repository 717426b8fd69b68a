{{ config(tags=['after_ml']) }}
-- health score 0-100 per ISO week: each figure scaled between its own min and max over the
-- trailing 12 weeks (this week and the 11 before), weighted by seed health_score_weights
{%- set metrics = ['active', 'new', 'retention', 'churned', 'episodic', 'ttfr_median_hours', 'unanswered_rate',
                   'closure_ratio', 'acceptance_ratio', 'bus_factor', 'elephant_factor', 'sentiment_avg'] %}
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

weights as (

    select * from {{ ref('health_score_weights') }}

),

figures as (

    select
        contributors.week_start,
        contributors.active, contributors.new, contributors.retention, contributors.inactive as churned, contributors.episodic,
        responsiveness.ttfr_median_hours, responsiveness.unanswered_rate, responsiveness.closure_ratio, responsiveness.acceptance_ratio,
        factors.bus_factor, factors.elephant_factor,
        sentiment.sentiment_avg
    from contributors
    inner join responsiveness on responsiveness.week_start = contributors.week_start
    inner join factors on factors.week_start = contributors.week_start
    inner join sentiment on sentiment.week_start = contributors.week_start

),

figures_long as (

    {% for metric in metrics %}
    select week_start, '{{ metric }}' as metric, cast({{ metric }} as {{ type_double() }}) as metric_value
    from figures
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

ranged as (

    select
        *,
        min(metric_value) over (partition by metric order by week_start rows between 11 preceding and current row) as low,
        max(metric_value) over (partition by metric order by week_start rows between 11 preceding and current row) as high
    from figures_long

),

scored as (

    -- 1 = the best of the 12 weeks, 0 = the worst, 0.5 when all equal; a missing figure is left out
    select
        ranged.week_start,
        weights.weight,
        case
            when ranged.high = ranged.low then 0.5
            when weights.direction = 'lower' then (ranged.high - ranged.metric_value) / (ranged.high - ranged.low)
            else (ranged.metric_value - ranged.low) / (ranged.high - ranged.low)
        end as score
    from ranged
    inner join weights on weights.metric = ranged.metric
    where ranged.metric_value is not null and weights.weight > 0

),

final as (

    select
        figures.week_start,
        round(100.0 * sum(scored.weight * scored.score) / nullif(sum(scored.weight), 0), 1) as health_score
    from figures
    left join scored on scored.week_start = figures.week_start
    group by figures.week_start

)

select * from final
