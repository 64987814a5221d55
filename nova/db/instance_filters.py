"""The filters of a server list applied in Python after the query: tags
(a JSON column each database queries its own way) and regexes (not every
database has a regex operator)."""

import json

# Upstream's tag filters of a server list (2.26), {name: tags}.
TAG_FILTERS = ('tags', 'tags-any', 'not-tags', 'not-tags-any')


def tags_match(tags, tag_filters):
    """Whether tags (a list, or its JSON text) pass every filter: tags
    (has all), tags-any (has one), not-tags (lacks one), not-tags-any
    (has none)."""
    if isinstance(tags, str):
        tags = json.loads(tags)
    tags = set(tags or ())
    for name, wanted in tag_filters.items():
        if name == 'tags':
            passed = wanted <= tags
        elif name == 'tags-any':
            passed = bool(wanted & tags)
        elif name == 'not-tags':
            passed = not wanted <= tags
        else:
            passed = not wanted & tags
        if not passed:
            return False
    return True


def regex_match(row, index, regex_filters):
    for key, pattern in regex_filters.items():
        if key == 'ip':
            addresses = row[index['addresses']]
            if isinstance(addresses, str):
                addresses = json.loads(addresses)
            values = [entry['address'] for entry in addresses or ()]
        else:
            values = [row[index[key]] or '']
        if not any(pattern.search(str(v)) for v in values):
            return False
    return True
