-- monthly cohort retention (DESIGN §5): R(c, m) = members of cohort c active in month c + m / |c|
with activities as (

    select * from {{ ref('fct_activities') }}

),

active_months as (

    -- humans only, contributions only; persons are merged identities
    select distinct person_id, cast({{ dbt.date_trunc('month', 'occurred_at') }} as date) as activity_month
    from activities
    where is_contribution and not is_bot

),

cohorts as (

    select person_id, min(activity_month) as cohort_month
    from active_months
    group by person_id

),

cohort_sizes as (

    select cohort_month, count(*) as cohort_size
    from cohorts
    group by cohort_month

),

bounds as (

    select max(activity_month) as last_month from active_months

),

cohort_spine as (

    -- every month from the cohort's own to the last month with data, empty months included
    select
        cohort_sizes.cohort_month,
        cohort_sizes.cohort_size,
        series.generated_number - 1 as months_since
    from cohort_sizes
    cross join bounds
    cross join ({{ dbt.generate_series(1200) }}) as series
    where series.generated_number - 1 <= {{ dbt.datediff('cohort_sizes.cohort_month', 'bounds.last_month', 'month') }}

),

retained as (

    select
        cohorts.cohort_month,
        {{ dbt.datediff('cohorts.cohort_month', 'active_months.activity_month', 'month') }} as months_since,
        count(*) as retained
    from cohorts
    inner join active_months on active_months.person_id = cohorts.person_id
    group by 1, 2

),

final as (

    select
        cohort_spine.cohort_month,
        cohort_spine.months_since,
        cast({{ dbt.dateadd('month', 'cohort_spine.months_since', 'cohort_spine.cohort_month') }} as date) as activity_month,
        cohort_spine.cohort_size,
        coalesce(retained.retained, 0) as retained,
        cast(coalesce(retained.retained, 0) as {{ type_double() }}) / cohort_spine.cohort_size as retention_rate
    from cohort_spine
    left join retained
        on retained.cohort_month = cohort_spine.cohort_month
        and retained.months_since = cohort_spine.months_since

)

select * from final
