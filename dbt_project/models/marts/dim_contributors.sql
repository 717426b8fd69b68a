with activities as (

    select * from {{ ref('fct_activities') }}

),

identities as (

    select * from {{ ref('int_identities_resolved') }}

),

maintainers as (

    select * from {{ ref('dim_contributors__maintainers') }}

),

activity_stats as (

    select
        person_id,
        min(occurred_at) as first_seen_at,
        max(occurred_at) as last_seen_at,
        count(*) as activity_count
    from activities
    group by person_id

),

person_platforms as (

    select person_id, {{ dbt.listagg('platform', "','", 'order by platform') }} as platforms
    from (select distinct person_id, platform from activities) as active_platforms
    group by person_id

),

person_flags as (

    select
        identities.person_id,
        min(case when identities.is_bot then 1 else 0 end) = 1 as is_bot
    from identities
    group by identities.person_id

),

display_names as (

    -- a chat profile usually carries the human name; else the commit author name or login
    select person_id, display_name
    from (
        select person_id, display_name,
            row_number() over (partition by person_id order by case platform when 'slack' then 0 else 1 end, account_id) as preference
        from identities
        where display_name is not null
    ) as ranked
    where preference = 1

),

final as (

    select
        activity_stats.person_id,
        display_names.display_name,
        person_platforms.platforms,
        activity_stats.first_seen_at,
        activity_stats.last_seen_at,
        person_flags.is_bot,
        not person_flags.is_bot and coalesce(maintainers.is_maintainer, false) as is_maintainer,
        activity_stats.activity_count
    from activity_stats
    inner join person_platforms on person_platforms.person_id = activity_stats.person_id
    inner join person_flags on person_flags.person_id = activity_stats.person_id
    left join display_names on display_names.person_id = activity_stats.person_id
    left join maintainers on maintainers.person_id = activity_stats.person_id

)

select * from final
