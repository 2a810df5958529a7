"""Reads calendar feeds with Python `icalendar` (PyPI, pinned by scripts/contract): every VEVENT of
each file must come back with its UID, SUMMARY, DTSTART (in UTC) and DTEND, and the file must hold
as many events as it has `BEGIN:VEVENT` lines. Prints one line per feed.

    python feeds_check.py FEED.ics…
"""

import datetime
import sys

import icalendar


def check(path):
    raw = open(path, "rb").read()
    expected = raw.count(b"\r\nBEGIN:VEVENT\r\n")
    calendar = icalendar.Calendar.from_ical(raw)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == expected, f"{path}: {len(events)} events read, {expected} written"
    for event in events:
        for field in ("UID", "SUMMARY", "DTSTART", "DTEND", "DTSTAMP", "SEQUENCE", "STATUS"):
            assert event.get(field) is not None, f"{path}: an event without {field}"
        start = event.decoded("DTSTART")
        assert start.tzinfo is not None and start.utcoffset() == datetime.timedelta(0), f"{path}: {start} not UTC"
        assert event.decoded("DTEND") > start, f"{path}: an event ends before it starts"
    print(f"python icalendar {icalendar.__version__}: {path.rsplit('/', 1)[-1]}: {len(events)} events read back")
    return len(events)


if __name__ == "__main__":
    total = sum(check(path) for path in sys.argv[1:])
    assert total > 0, "the demo feeds hold no event"
