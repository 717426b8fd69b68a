-- the UTC offset used to place each person's activities in their own day (DESIGN §5 Activity times):
-- a Slack profile's tz_offset when known, else the modal-hour heuristic, else UTC. A table rebuilt
-- every run (one row per person); changed_at says when a person's offset last changed, so the
-- period-incremental contributor-health marts recompute those people whole
{%- set has_previous = health_has_previous_stamp() %}
with activities as (

    select * from {{ ref('fct_activities') }}

),

identities as (

    select * from {{ ref('int_identities_resolved') }}

),

slack_users as (

    select * from {{ ref('stg_slack__users') }}

),

contributions as (

    select person_id, {{ hour_of_day('occurred_at') }} as utc_hour
    from activities
    where is_contribution and not is_bot

),

profile_offsets as (

    -- a person with several chat accounts takes the smallest offset (deterministic)
    select identities.person_id, min(slack_users.tz_offset_seconds) / 60 as utc_offset_minutes
    from identities
    inner join slack_users
        on identities.platform = 'slack' and slack_users.user_id = identities.account_id
    where slack_users.tz_offset_seconds is not null
    group by identities.person_id

),

hour_counts as (

    select
        person_id,
        utc_hour,
        count(*) as contributions,
        sum(count(*)) over (partition by person_id) as total_contributions
    from contributions
    group by person_id, utc_hour

),

modal_hours as (

    -- the heuristic assumes the busiest hour is the middle of the person's working day
    select
        person_id,
        (({{ (var('workday_start_hour') + var('workday_end_hour')) // 2 }} - utc_hour + 36) % 24 - 12) * 60 as utc_offset_minutes,
        total_contributions,
        row_number() over (partition by person_id order by contributions desc, utc_hour) as hour_rank
    from hour_counts

),

current_values as (

    select
        modal_hours.person_id,
        cast(coalesce(
            profile_offsets.utc_offset_minutes,
            case when '{{ var("timezone_heuristic") }}' = 'modal_hour'
                and modal_hours.total_contributions >= {{ var('timezone_heuristic_min_activities') }}
                then modal_hours.utc_offset_minutes end,
            0
        ) as integer) as utc_offset_minutes,
        case
            when profile_offsets.utc_offset_minutes is not null then 'profile'
            when '{{ var("timezone_heuristic") }}' = 'modal_hour'
                and modal_hours.total_contributions >= {{ var('timezone_heuristic_min_activities') }} then 'modal_hour'
            else 'utc'
        end as timezone_source
    from modal_hours
    left join profile_offsets on profile_offsets.person_id = modal_hours.person_id
    where modal_hours.hour_rank = 1

),

final as (

    select
        current_values.*,
        {{ changed_at_since_previous(has_previous, ['utc_offset_minutes', 'timezone_source']) }} as changed_at
    from current_values
    {{ join_previous(has_previous, 'person_id') }}

)

select * from final
