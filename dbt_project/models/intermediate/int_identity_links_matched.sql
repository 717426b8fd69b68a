-- links between accounts of one person, each kept with the rule that found it (SortingHat spirit):
-- accounts sharing a rule's value are linked to the group's preferred account (GitHub first)
with accounts as (

    select * from {{ ref('int_accounts_unioned') }}

),

attributed as (

    select * from {{ ref('int_github_emails_attributed') }}

),

account_emails as (

    -- an account's own email, plus every commit email attributed to a GitHub login
    select account_key, email from accounts where email is not null
    union
    select 'github:' || login, email from attributed

),

evidence as (

    select account_key, 'email' as reason, email as evidence
    from account_emails
    where {{ is_matchable_email('email') }} and {{ noreply_login('email') }} is null
    union all
    select account_key, 'noreply', {{ noreply_login('email') }}
    from account_emails
    where {{ noreply_login('email') }} is not null
    union all
    select account_key, 'profile_link', regexp_extract(lower(profile_text), 'github\.com/([a-z0-9-]+(\[bot\])?)', 1)
    from accounts
    where regexp_extract(lower(profile_text), 'github\.com/([a-z0-9-]+(\[bot\])?)', 1) <> ''
    union all
    -- a GitHub account is the target of its own login's noreply addresses and profile links
    select account_key, reason, account_id
    from accounts
    cross join (select 'noreply' as reason union all select 'profile_link') as login_rules
    where platform = 'github'
    union all
    select account_key, 'username_and_name', normalized_username || ' / ' || normalized_name
    from accounts
    where not is_bot and normalized_username is not null and {{ is_usable_person_name('normalized_name') }}
    union all
    select account_key, 'name', normalized_name
    from accounts
    where not is_bot and {{ is_matchable_person_name('normalized_name') }}

),

grouped as (

    select
        evidence.account_key,
        evidence.reason,
        evidence.evidence,
        accounts.platform,
        count(*) over (partition by evidence.reason, evidence.evidence) as group_size,
        count(*) over (partition by evidence.reason, evidence.evidence, accounts.platform) as platform_size,
        first_value(evidence.account_key) over (
            partition by evidence.reason, evidence.evidence
            order by accounts.platform_rank, evidence.account_key
        ) as anchor_key
    from (select distinct account_key, reason, evidence from evidence) as evidence
    inner join accounts on accounts.account_key = evidence.account_key

),

ambiguous as (

    -- a name carried by two accounts of one user platform names nobody in particular
    -- (several git emails with one name are the usual case and stay matchable)
    select distinct reason, evidence
    from grouped
    where reason in ('username_and_name', 'name') and platform <> 'git' and platform_size > 1

),

final as (

    select grouped.account_key, grouped.anchor_key as linked_account_key, grouped.reason, grouped.evidence
    from grouped
    left join ambiguous on ambiguous.reason = grouped.reason and ambiguous.evidence = grouped.evidence
    where grouped.group_size > 1
        and grouped.account_key <> grouped.anchor_key
        and ambiguous.reason is null

)

select * from final
