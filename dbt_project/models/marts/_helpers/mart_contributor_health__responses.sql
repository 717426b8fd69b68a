{{ config(
    materialized='incremental',
    incremental_strategy='recompute',
    recompute_range='week_start',
    recompute_entity='person_id',
    recompute_moved=true,
    on_schema_change='fail',
    post_hook="{{ record_mart_watermark() }}"
) }}
-- depends_on: {{ ref('fct_activities') }}
-- depends_on: {{ ref('mart_contributor_health__timezones') }}
-- each person's share of first responses and their response-time trend over the trailing 90 days.
-- Period-incremental: a refresh recomputes every person's rows (the share is of everyone's responses)
-- from the first week whose window holds a changed day, a changed first response or whose backlog
-- flag changed, and the people an identity merge or split moved whole ('entity' rows). A changed
-- activity moves a first response only to or from its own time, so older responses stand
{%- set from_week = health_recompute_week(backlog=true, responses=true) %}
{%- set people = health_recomputed_people() %}
{%- set all_weeks = is_incremental() and (people is none or people | length > 0) %}
with responsiveness as (

    select * from {{ ref('mart_responsiveness') }}
    {%- if is_incremental() and not all_weeks %}
    where first_response_at >= {{ dbt.dateadd('day', -83, from_week) }}
    {%- endif %}

),

backlog as (

    select * from {{ ref('mart_contributor_health__backlog') }}

),

weeks as (

    select * from {{ ref('mart_community_health_weekly__weeks') }}
    {%- if is_incremental() and not all_weeks %}
    where week_start >= {{ from_week }}
    {%- endif %}

),

windowed as (

    -- first responses (by humans, to anyone's item, bots' pull requests included: it is load)
    select
        weeks.week_start,
        responsiveness.responder_person_id as person_id,
        responsiveness.hours_to_first_response,
        responsiveness.first_response_at >= {{ dbt.dateadd('day', -28, 'weeks.week_end') }} as is_last_4_weeks,
        responsiveness.first_response_at >= {{ dbt.dateadd('day', -84, 'weeks.week_end') }} as is_last_12_weeks
    from weeks
    inner join responsiveness
        on responsiveness.first_response_at >= {{ dbt.dateadd('day', -90, 'weeks.week_end') }}
        and responsiveness.first_response_at < weeks.week_end

),

per_person as (

    select
        week_start,
        person_id,
        count(*) as responses_given,
        sum(count(*)) over (partition by week_start) as all_first_responses,
        {{ percentile_cont('case when is_last_4_weeks then hours_to_first_response end', 0.5) }} as ttfr_median_last_4_weeks,
        {{ percentile_cont('case when is_last_12_weeks and not is_last_4_weeks then hours_to_first_response end', 0.5) }} as ttfr_median_previous_8_weeks
    from windowed
    group by week_start, person_id

),

final as (

    select
        per_person.person_id,
        per_person.week_start,
        per_person.responses_given,
        cast(per_person.responses_given as {{ type_double() }}) / per_person.all_first_responses as share_of_responses,
        per_person.ttfr_median_last_4_weeks,
        per_person.ttfr_median_previous_8_weeks,
        per_person.ttfr_median_last_4_weeks / nullif(per_person.ttfr_median_previous_8_weeks, 0) as ttfr_trend,
        coalesce(backlog.is_backlog_growing, false) as is_backlog_growing
        {%- if is_incremental() %},
        case when per_person.week_start >= {{ from_week }} then 'range' else 'entity' end as _recompute
        {%- endif %}
    from per_person
    left join backlog on backlog.week_start = per_person.week_start
    {%- if is_incremental() %}
    where per_person.week_start >= {{ from_week }}
        or {{ health_people_condition(people, 'per_person.person_id') }}
    {%- endif %}

)

select * from final
