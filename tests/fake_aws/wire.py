"""Shared basics of every answer: the account id, the EC2 and STS XML namespaces, AWS
timestamp formats, and the endpoint's one-line stderr log.
"""
import datetime
import sys

ACCOUNT_ID = "123456789012"
EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/"
STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/"


def log(msg):
    sys.stderr.write(f"fake_aws: {msg}\n")
    sys.stderr.flush()


def iso(ts, millis=False):
    dt = datetime.datetime.fromtimestamp(ts, datetime.timezone.utc)
    if millis:
        return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")
