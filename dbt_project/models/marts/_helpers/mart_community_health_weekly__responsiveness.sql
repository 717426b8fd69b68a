-- responsiveness, closure and backlog per ISO week over items opened by humans (DESIGN §5)
with responsiveness as (

    select * from {{ ref('mart_responsiveness') }}

),

weeks as (

    select * from {{ ref('mart_community_health_weekly__weeks') }}

),

items as (

    select *, cast({{ dbt.date_trunc('week', 'created_at') }} as date) as created_week,
        cast({{ dbt.date_trunc('week', 'closed_at') }} as date) as closed_week
    from responsiveness
    where not is_bot_author

),

opened as (

    select
        created_week as week_start,
        count(*) as items_opened,
        {{ percentile_cont('hours_to_first_response', 0.5) }} as ttfr_median_hours,
        {{ percentile_cont('hours_to_first_response', 0.85) }} as ttfr_p85_hours,
        sum(case when is_question and is_unanswered then 1 else 0 end) as unanswered_questions,
        cast(sum(case when is_unanswered then 1 else 0 end) as {{ type_double() }})
            / nullif(sum(case when is_unanswered is not null then 1 else 0 end), 0) as unanswered_rate,
        sum(case when item_kind = 'pull_request' then 1 else 0 end) as prs_opened
    from items
    group by created_week

),

pr_closes as (

    -- CHAOSS counts PRs closed in P however old they are, so closes come from the close events
    -- themselves (an export window rarely holds the openings); bot-authored PRs stay out
    select
        cast({{ dbt.date_trunc('week', 'closes.occurred_at') }} as date) as week_start,
        count(distinct coalesce(closes.thread_id, closes.activity_id)) as prs_closed,
        count(distinct case when closes.activity_type = 'pr_merged'
            then coalesce(closes.thread_id, closes.activity_id) end) as prs_merged
    from {{ ref('int_activities_unioned') }} as closes
    left join {{ ref('int_identities_resolved') }} as authors
        on authors.platform = closes.platform and authors.account_id = lower(closes.target_account_id)
    where closes.activity_type in ('pr_closed', 'pr_merged') and not coalesce(authors.is_bot, false)
    group by 1

),

closed as (

    select
        closed_week as week_start,
        {{ percentile_cont('hours_to_close', 0.5) }} as time_to_close_median_hours
    from items
    where closed_at is not null and item_kind in ('issue', 'pull_request')
    group by closed_week

),

backlog as (

    -- issues and pull requests open at the end of the week
    select weeks.week_start, count(items.item_id) as open_backlog
    from weeks
    left join items
        on items.item_kind in ('issue', 'pull_request')
        and items.created_at < weeks.week_end
        and (items.closed_at is null or items.closed_at >= weeks.week_end)
    group by weeks.week_start

),

final as (

    select
        weeks.week_start,
        coalesce(opened.items_opened, 0) as items_opened,
        opened.ttfr_median_hours,
        opened.ttfr_p85_hours,
        coalesce(opened.unanswered_questions, 0) as unanswered_questions,
        opened.unanswered_rate,
        coalesce(opened.prs_opened, 0) as prs_opened,
        coalesce(pr_closes.prs_closed, 0) as prs_closed,
        coalesce(pr_closes.prs_merged, 0) as prs_merged,
        cast(coalesce(pr_closes.prs_closed, 0) as {{ type_double() }}) / nullif(opened.prs_opened, 0) as closure_ratio,
        cast(pr_closes.prs_merged as {{ type_double() }}) / nullif(pr_closes.prs_closed, 0) as acceptance_ratio,
        closed.time_to_close_median_hours,
        backlog.open_backlog
    from weeks
    left join opened on opened.week_start = weeks.week_start
    left join closed on closed.week_start = weeks.week_start
    left join pr_closes on pr_closes.week_start = weeks.week_start
    left join backlog on backlog.week_start = weeks.week_start

)

select * from final
