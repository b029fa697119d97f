"""MaxResults/NextToken pagination, shared by the SSM list operations and EC2
DescribeInstances.
"""
import base64
import json

from errors import ApiError, validation


# The /_fake/config key page_limit: at most this many items a page whatever MaxResults asks,
# as AWS may return fewer than MaxResults with a NextToken (None: MaxResults is honoured).
page_limit = None


def page(items, req, default_max, lo, hi, what="MaxResults"):
    max_results = req.get("MaxResults", default_max)
    if not isinstance(max_results, int) or max_results < lo or max_results > hi:
        raise validation(f"Value '{max_results}' at 'maxResults' failed to satisfy constraint: "
                         f"Member must have value between {lo} and {hi}")
    if page_limit is not None:
        max_results = min(max_results, page_limit)
    offset = 0
    token = req.get("NextToken")
    if token:
        try:
            offset = int(json.loads(base64.b64decode(token))["offset"])
            if offset < 0 or offset > len(items):
                raise ValueError
        except (ValueError, KeyError, TypeError, json.JSONDecodeError):
            raise ApiError("InvalidNextToken", "The specified token isn't valid.")
    chunk = items[offset:offset + max_results]
    nxt = None
    if offset + max_results < len(items):
        nxt = base64.b64encode(json.dumps({"offset": offset + max_results}).encode()).decode()
    return chunk, nxt
