{{ config(materialized='incremental', incremental_strategy='recompute', recompute_range='week_start',
          on_schema_change='fail', post_hook="{{ record_mart_watermark() }}") }}
-- bus factor and elephant factor per ISO week over the trailing 90 days (DESIGN §5, CHAOSS), ranking
-- each person's window contributions (mart_community_health_weekly__person_windows)
-- period-incremental: a refresh recomputes the weeks from the first whose window holds a
-- changed contribution or one of a person whose organization changed (YAML description)
with weeks as (

    select * from {{ ref('mart_community_health_weekly__weeks') }}
    {%- if is_incremental() %}
    -- the weeks to recompute (macros/community_incremental.sql); none when nothing changed
    where week_start >= {{ factors_recompute_week() }}
    {%- endif %}

),

organizations as (

    select * from {{ ref('mart_community_health_weekly__organizations') }}

),

windowed as (

    -- human contributions in [end(P) - 90 d, end(P)) for every week P, per person
    select person_windows.week_start, person_windows.person_id, organizations.organization, person_windows.contributions
    from {{ ref('mart_community_health_weekly__person_windows') }} as person_windows
    left join organizations on organizations.person_id = person_windows.person_id
    {%- if is_incremental() %}
    where person_windows.week_start >= (select min(week_start) from weeks)
    {%- endif %}

),

{% for kind, entity in [('bus', 'person_id'), ('elephant', 'organization')] %}
{{ kind }}_counts as (

    select week_start, {{ entity }} as entity, sum(contributions) as contributions
    from windowed
    where {{ entity }} is not null
    group by week_start, {{ entity }}

),

{{ kind }}_ranked as (

    -- ties in count do not change k: the sorted counts are the same whichever tied entity comes first
    select
        week_start,
        row_number() over (partition by week_start order by contributions desc, entity) as k,
        sum(contributions) over (
            partition by week_start order by contributions desc, entity rows between unbounded preceding and current row
        ) as running_contributions,
        sum(contributions) over (partition by week_start) as total_contributions
    from {{ kind }}_counts

),

{{ kind }}_factor as (

    -- the smallest k whose top k make more than half of the contributions
    select week_start, min(k) as {{ kind }}_factor
    from {{ kind }}_ranked
    where running_contributions * 2 > total_contributions
    group by week_start

),

{% endfor %}
final as (

    select
        weeks.week_start,
        coalesce(bus_factor.bus_factor, 0) as bus_factor,
        elephant_factor.elephant_factor
        {%- if is_incremental() %}, 'range' as _recompute{% endif %}
    from weeks
    left join bus_factor on bus_factor.week_start = weeks.week_start
    left join elephant_factor on elephant_factor.week_start = weeks.week_start

)

select * from final
