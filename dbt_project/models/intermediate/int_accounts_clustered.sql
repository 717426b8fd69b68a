-- accounts grouped into persons: connected components of the identity links (transitive), after
-- the identity_overrides seed has merged and split
with recursive accounts as (

    select account_key, platform, account_id from {{ ref('int_accounts_unioned') }}

),

links as (

    select * from {{ ref('int_identity_links_matched') }}

),

overrides as (

    select distinct lower(trim(platform)) as platform, lower(trim(account_id)) as account_id, trim(person_key) as person_key
    from {{ ref('identity_overrides') }}

),

overridden as (

    select accounts.account_key, min(overrides.person_key) as person_key
    from accounts
    inner join overrides on overrides.platform = accounts.platform and overrides.account_id = lower(accounts.account_id)
    group by accounts.account_key

),

kept_links as (

    -- an account the seed places keeps none of its automatic links: that is how a wrong merge is split
    select links.*
    from links
    left join overridden as from_side on from_side.account_key = links.account_key
    left join overridden as to_side on to_side.account_key = links.linked_account_key
    where from_side.account_key is null and to_side.account_key is null

),

edges as (

    select account_key as node, linked_account_key as neighbour from kept_links
    union all
    -- the seed merges: an account joins its person_key, and so does the account that key names
    select account_key, 'override:' || person_key from overridden
    union all
    select accounts.account_key, 'override:' || accounts.account_key
    from accounts
    left join overridden on overridden.account_key = accounts.account_key
    where overridden.account_key is null
        and accounts.account_key in (select person_key from overrides)

),

undirected as (

    select node, neighbour from edges
    union
    select neighbour, node from edges

),

reachable (account_key, reached) as (

    -- every node reachable from each account; `union` drops repeats, so cycles end
    select account_key, account_key from accounts
    union
    select reachable.account_key, undirected.neighbour
    from reachable
    inner join undirected on undirected.node = reachable.reached

),

strongest_links as (

    select account_key, linked_account_key, reason, evidence
    from (
        select
            *,
            row_number() over (
                partition by account_key
                order by case reason when 'email' then 1 when 'noreply' then 2 when 'profile_link' then 3
                    when 'username_and_name' then 4 else 5 end, linked_account_key
            ) as strength
        from kept_links
    ) as ranked
    where strength = 1

),

final as (

    select
        components.account_key,
        components.component_key,
        overridden.person_key as override_person_key,
        min(overridden.person_key) over (partition by components.component_key) as component_override_key,
        strongest_links.linked_account_key,
        strongest_links.reason as link_reason,
        strongest_links.evidence as link_evidence
    from (select account_key, min(reached) as component_key from reachable group by account_key) as components
    left join overridden on overridden.account_key = components.account_key
    left join strongest_links on strongest_links.account_key = components.account_key

)

select * from final
