{{ config(tags=['after_ml'], materialized='incremental', incremental_strategy='recompute',
          recompute_range='week_start', recompute_entity='person_id', recompute_moved=true, on_schema_change='fail',
          post_hook="{{ record_mart_watermark(scores=true) }}") }}
-- depends_on: {{ ref('fct_activities') }}
-- depends_on: {{ ref('mart_responsiveness') }}
-- depends_on: {{ ref('mart_contributor_health__timezones') }}
-- depends_on: {{ ref('mart_contributor_health__backlog') }}
-- burnout risk 0-100 per person × ISO week: a weighted blend of component scores (seed burnout_weights).
-- Period-incremental: a refresh recomputes the weeks its inputs recomputed (from the first week whose
-- window holds a changed or rescored day or first response or whose backlog flag changed) and, whole,
-- people whose time zone changed or whose accounts identity resolution moved ('entity' rows). A change of seed burnout_weights or of a var needs a --full-refresh
{%- set from_week = health_recompute_week(scores=true, backlog=true, responses=true) %}
{%- set recomputed_people = health_people_condition(health_recomputed_people()) %}
{%- set components = ['response_load_share', 'off_hours_share', 'weekend_share', 'active_day_streak',
                      'load_trend', 'ttfr_trend', 'sentiment_drift'] %}
with workload as (

    select * from {{ ref('mart_contributor_health__workload') }}
    {%- if is_incremental() %}
    where week_start >= {{ from_week }} or {{ recomputed_people }}
    {%- endif %}

),

sentiment as (

    select * from {{ ref('mart_contributor_health__sentiment') }}
    {%- if is_incremental() %}
    where week_start >= {{ from_week }} or {{ recomputed_people }}
    {%- endif %}

),

weights as (

    select * from {{ ref('burnout_weights') }}

),

inputs as (

    select
        workload.person_id,
        workload.week_start,
        workload.share_of_responses as response_load_share,
        workload.off_hours_share,
        workload.weekend_share,
        workload.active_day_streak,
        workload.load_trend,
        -- a rising response time only counts while the open backlog grows (DESIGN §5)
        case when workload.is_backlog_growing then workload.ttfr_trend end as ttfr_trend,
        sentiment.sentiment_drift
    from workload
    left join sentiment
        on sentiment.person_id = workload.person_id and sentiment.week_start = workload.week_start
    where workload.activities >= {{ var('burnout_min_activities') }}

),

components as (

    {% for component in components %}
    select person_id, week_start, '{{ component }}' as component, cast({{ component }} as {{ type_double() }}) as component_value
    from inputs
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

scored as (

    -- score: 0 at the baseline, 1 at the flag threshold, linear between; no evidence scores 0
    select
        components.*,
        weights.weight,
        weights.reason || ' ' || {{ format_component_value('components.component_value', 'weights.unit') }}
            || ' (flag at ' || {{ format_component_value('weights.threshold', 'weights.unit') }} || ')' as reason_text,
        coalesce(components.component_value >= weights.threshold, false) as is_flagged,
        -- (greatest and least skip nulls on most engines: test for null first)
        case
            when components.component_value is null then 0.0
            else greatest(0.0, least(1.0,
                (components.component_value - weights.baseline) / nullif(weights.threshold - weights.baseline, 0)))
        end as score
    from components
    inner join weights on weights.component = components.component

),

final as (

    select
        person_id,
        week_start,
        round(100.0 * sum(weight * score) / nullif(sum(weight), 0), 1) as burnout_risk,
        coalesce({{ dbt.listagg('case when is_flagged then reason_text end', "'; '", 'order by weight * score desc, component') }}, '') as risk_reasons,
        {%- for component in components %}
        max(case when component = '{{ component }}' then score end) as {{ component }}_score{{ ',' if not loop.last }}
        {%- endfor %}
        {%- if is_incremental() %},
        case when week_start >= {{ from_week }} then 'range' else 'entity' end as _recompute
        {%- endif %}
    from scored
    group by person_id, week_start

)

select * from final
