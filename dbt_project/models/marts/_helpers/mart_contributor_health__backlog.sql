-- whether the community's open backlog grew over the last 4 weeks, per ISO week (DESIGN §5: a
-- rising response time only counts then). A table rebuilt every run; changed_at says when a week's
-- flag last changed (an item closed again later reopens old weeks), so the period-incremental
-- contributor-health marts recompute from the earliest such week
{%- set has_previous = health_has_previous_stamp() %}
with weekly as (

    select * from {{ ref('mart_community_health_weekly__responsiveness') }}

),

current_values as (

    select
        week_start,
        coalesce(open_backlog > lag(open_backlog, 4) over (order by week_start), false) as is_backlog_growing
    from weekly

),

final as (

    select
        current_values.*,
        {{ changed_at_since_previous(has_previous, ['is_backlog_growing']) }} as changed_at
    from current_values
    {{ join_previous(has_previous, 'week_start') }}

)

select * from final
