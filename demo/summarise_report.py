#!/usr/bin/env python3
"""Prints one line per bot from drover-agent's JSON report (its last stdout line)."""
import json
import sys

report = json.loads(sys.stdin.read().splitlines()[-1])
if report.get("error"):
    print(f"  host error: {report['error']}")
for bot in report["bots"]:
    if report["command"] == "swap":
        line = (f"  bot{bot['bot']}: {bot['outcome']:<12} login={bot['login']:<14}"
                f" downtime={bot['timings_ms']['downtime']} ms")
        if bot["reason"]:
            line += f"\n      reason: {bot['reason']}"
    else:
        line = (f"  bot{bot['bot']}: running={bot['running']} on_expected_image="
                f"{bot['matches_expected']} login={bot['login']}")
    print(line)
