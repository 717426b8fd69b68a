with activities as (

    select * from {{ ref('fct_activities') }}

),

unioned as (

    select * from {{ ref('int_activities_unioned') }}

),

identities as (

    select * from {{ ref('int_identities_resolved') }}

),

maintainers as (

    select distinct lower(trim(login)) as login from {{ ref('maintainers') }}

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
        min(case when identities.is_bot then 1 else 0 end) = 1 as is_bot,
        {{ dbt.bool_or('maintainers.login is not null') }} as is_declared_maintainer
    from identities
    left join maintainers
        on identities.platform = 'github' and maintainers.login = identities.account_id
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

closers as (

    -- closed or merged an issue or pull request somebody else opened
    select distinct actors.person_id
    from unioned
    inner join identities as actors
        on actors.platform = unioned.platform and actors.account_id = unioned.account_id
    left join identities as authors
        on authors.platform = 'github' and authors.account_id = unioned.target_account_id
    where unioned.activity_type in ('issue_closed', 'pr_closed', 'pr_merged')
        and unioned.target_account_id is not null
        and coalesce(authors.person_id, '') <> actors.person_id

),

final as (

    select
        activity_stats.person_id,
        display_names.display_name,
        person_platforms.platforms,
        activity_stats.first_seen_at,
        activity_stats.last_seen_at,
        person_flags.is_bot,
        not person_flags.is_bot
            and (person_flags.is_declared_maintainer or closers.person_id is not null) as is_maintainer,
        activity_stats.activity_count
    from activity_stats
    inner join person_platforms on person_platforms.person_id = activity_stats.person_id
    inner join person_flags on person_flags.person_id = activity_stats.person_id
    left join display_names on display_names.person_id = activity_stats.person_id
    left join closers on closers.person_id = activity_stats.person_id

)

select * from final
