with accounts as (

    select * from {{ ref('int_accounts_unioned') }}

),

clusters as (

    select * from {{ ref('int_accounts_clustered') }}

),

personal_domains as (

    select distinct lower(trim(domain)) as domain from {{ ref('personal_email_domains') }}

),

clustered as (

    select accounts.*, clusters.*
    from accounts
    inner join clusters using (account_key)

),

persons as (

    -- the person's key: the seed's, else their preferred account's (GitHub first, then A-Z)
    select component_key, coalesce(component_override_key, account_key) as person_key
    from (
        select *, row_number() over (partition by component_key order by platform_rank, account_key) as preference
        from clustered
    ) as ranked
    where preference = 1

),

organization_candidates as (

    -- a GitHub profile company ('@acme' -> acme) first, else a work email domain
    select component_key, 1 as source_rank, lower(trim(regexp_replace(trim(company), '^@|[.,;]+$', '', 'g'))) as organization
    from clustered
    where platform = 'github' and company is not null
    union all
    select clustered.component_key, 2, clustered.email_domain
    from clustered
    left join personal_domains on personal_domains.domain = clustered.email_domain
    where clustered.email_domain is not null and personal_domains.domain is null

),

organizations as (

    -- most accounts win within a source; ties: first A-Z
    select component_key, organization
    from (
        select
            component_key,
            organization,
            row_number() over (partition by component_key order by source_rank, count(*) desc, organization) as preference
        from organization_candidates
        where nullif(organization, '') is not null
        group by component_key, source_rank, organization
    ) as ranked
    where preference = 1

),

final as (

    select
        clustered.account_key,
        clustered.platform,
        clustered.account_id,
        clustered.username,
        clustered.display_name,
        clustered.email,
        clustered.is_bot,
        persons.person_key,
        {{ dbt.hash('persons.person_key') }} as person_id,
        case
            when clustered.override_person_key is not null then 'override'
            when clustered.link_reason is not null then clustered.link_reason
            when clustered.platform = 'github' then 'github_login'
            else clustered.platform || '_account'
        end as match_reason,
        clustered.full_name,
        clustered.bot_reason,
        clustered.linked_account_key as matched_account_key,
        coalesce(clustered.override_person_key, clustered.link_evidence) as match_evidence,
        clustered.email_domain,
        clustered.company,
        organizations.organization
    from clustered
    inner join persons on persons.component_key = clustered.component_key
    left join organizations on organizations.component_key = clustered.component_key

)

select * from final
