{#- Discord markup -> readable text: <@123> and <@!123> -> @123, <@&9> -> @9 (role), <#5> -> #5,
    <:name:1> and <a:name:1> -> :name:, </cmd:1> -> /cmd, <t:1700000000:R> -> 1700000000,
    <https://x> (suppressed embed) -> https://x. DiscordChatExporter already renders mentions
    as @name; this covers text taken from the API. -#}
{% macro discord_readable_text(text) -%}
    {%- set rules = [
        ('<@[!&]?([0-9]+)>', '@\\1'),
        ('<#([0-9]+)>', '#\\1'),
        ('<a?:([A-Za-z0-9_~]+):[0-9]+>', ':\\1:'),
        ('</([^:>]+):[0-9]+>', '/\\1'),
        ('<t:(-?[0-9]+)(:[tTdDfFR])?>', '\\1'),
        ('<(https?://[^>[:space:]]+)>', '\\1'),
    ] -%}
    {%- set ns = namespace(sql=text) -%}
    {%- for pattern, replacement in rules -%}
        {%- set ns.sql = "regexp_replace(" ~ ns.sql ~ ", '" ~ pattern ~ "', '" ~ replacement ~ "', 'g')" -%}
    {%- endfor -%}
    {{ ns.sql }}
{%- endmacro %}
