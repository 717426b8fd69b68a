-- open issues labelled for newcomers, each suggested to a few recent new contributors (round robin)
with responsiveness as (

    select * from {{ ref('mart_responsiveness') }}

),

labels as (

    select * from {{ ref('mart_good_first_issues__labels') }}

),

activities as (

    select * from {{ ref('fct_activities') }}

),

contributors as (

    select * from {{ ref('dim_contributors') }}

),

as_of as (

    select max(occurred_at) as as_of_at from activities

),

issues as (

    select
        responsiveness.*,
        labels.labels,
        row_number() over (order by responsiveness.created_at, responsiveness.item_id) as issue_position
    from responsiveness
    inner join labels on labels.thread_id = responsiveness.thread_id
    where responsiveness.item_kind = 'issue'
        and responsiveness.closed_at is null
        and (
            {%- for pattern in var('good_first_issue_labels') %}
            lower(labels.labels) like '%{{ pattern }}%'{{ ' or' if not loop.last }}
            {%- endfor %}
        )

),

newcomers as (

    -- humans whose first contribution falls in the last var('new_contributor_days') days
    select
        firsts.person_id,
        contributors.display_name,
        row_number() over (order by firsts.first_at desc, firsts.person_id) as newcomer_number,
        count(*) over () as newcomers
    from (
        select person_id, min(occurred_at) as first_at
        from activities
        where is_contribution and not is_bot
        group by person_id
    ) as firsts
    cross join as_of
    inner join contributors on contributors.person_id = firsts.person_id
    where firsts.first_at >= {{ dbt.dateadd('day', -1 * var('new_contributor_days'), 'as_of.as_of_at') }}

),

comments as (

    select thread_id, count(*) as comments
    from activities
    where activity_type = 'issue_comment' and not is_bot
    group by thread_id

),

final as (

    select
        issues.item_id as issue_id,
        issues.container,
        {{ dbt.split_part('activities.text', 'chr(10)', 1) }} as title,
        issues.url,
        issues.labels,
        issues.created_at,
        {{ dbt.datediff('issues.created_at', 'as_of.as_of_at', 'day') }} as age_days,
        coalesce(comments.comments, 0) as comments,
        {{ dbt.listagg('newcomers.display_name', "', '", 'order by newcomers.newcomer_number') }} as suggested_for
    from issues
    cross join as_of
    inner join activities on activities.activity_id = issues.item_id
    left join comments on comments.thread_id = issues.thread_id
    -- each issue gets up to 3 newcomers, starting at its own position in the round
    left join newcomers
        on ((newcomers.newcomer_number - issues.issue_position) % newcomers.newcomers + newcomers.newcomers)
            % newcomers.newcomers < 3
    group by issues.item_id, issues.container, activities.text, issues.url, issues.labels,
        issues.created_at, as_of.as_of_at, comments.comments

)

select * from final
