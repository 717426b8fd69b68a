with activities as (

    select * from {{ ref('int_activities_unioned') }}

),

identities as (

    select * from {{ ref('int_identities_resolved') }}

),

final as (

    select
        activities.activity_id,
        identities.person_id,
        activities.platform,
        activities.activity_type,
        activities.occurred_at,
        activities.container,
        activities.thread_id,
        activities.parent_id,
        activities.is_question,
        activities.is_contribution,
        identities.is_bot,
        activities.text,
        activities.url
    from activities
    inner join identities
        on identities.platform = activities.platform
        and identities.account_id = activities.account_id

)

select * from final
