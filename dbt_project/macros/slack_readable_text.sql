{#- Slack mrkdwn -> readable text: <@U1|name> -> @name, <@U1> -> @U1, <#C1|general> -> #general,
    <!here> -> @here, <https://x|label> -> label, <https://x> -> https://x, then &lt; &gt; &amp;. -#}
{% macro slack_readable_text(text) -%}
    {%- set rules = [
        ('<@([A-Z0-9]+)\\|([^>]+)>', '@\\2'),
        ('<@([A-Z0-9]+)>', '@\\1'),
        ('<#([A-Z0-9]+)\\|([^>]*)>', '#\\2'),
        ('<#([A-Z0-9]+)>', '#\\1'),
        ('<!subteam\\^[A-Z0-9]+\\|([^>]+)>', '\\1'),
        ('<!(here|channel|everyone)(\\|[^>]*)?>', '@\\1'),
        ('<([^|>]+)\\|([^>]+)>', '\\2'),
        ('<([^>]+)>', '\\1'),
    ] -%}
    {%- set ns = namespace(sql=text) -%}
    {%- for pattern, replacement in rules -%}
        {%- set ns.sql = "regexp_replace(" ~ ns.sql ~ ", '" ~ pattern ~ "', '" ~ replacement ~ "', 'g')" -%}
    {%- endfor -%}
    replace(replace(replace({{ ns.sql }}, '&lt;', '<'), '&gt;', '>'), '&amp;', '&')
{%- endmacro %}
